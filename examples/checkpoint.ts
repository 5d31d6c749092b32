/**
 * Checkpointing (guide page 9): `checkpoint(f)` records a block of layers as one node of the tape and
 * runs it again when a sweep needs its derivatives, so a deep network's tape keeps the blocks' inputs
 * and outputs instead of every layer's intermediates — for about twice the work of each block.
 *
 *   1. the same f, ∇f and H·v with and without checkpoints (to 1e-13);
 *   2. what the tape keeps: numbers held on the tape after the sweeps, and while one block runs again,
 *      for blocks of 1, 2, 3, 4, 6 and 12 layers — the block size that fits a memory budget;
 *   3. Newton–CG on the checkpointed loss: the same iterates as without checkpoints;
 *   4. f must receive every node it uses: a closure over a parameter is refused (CheckpointError);
 *   5. time per gradAndHvp (printed, not checked: speed is benchmarked by `pnpm bench --only=memory`).
 *
 * Run: pnpm example checkpoint
 */
import { CheckpointError, checkpoint, gradAndHvp, tensor, trace, type Scalar, type Tensor } from '@dualtape/core';
import { newtonCG } from '@dualtape/curvature';
import { check, checkAtMost, finish } from './lib/check.js';

/** Seeded numbers in [−scale, scale). */
function numbers(n: number, seed: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => scale * Math.sin(12.9898 * (k + 1) + 78.233 * seed));
}

// A deep tanh network: 12 layers of width 8 on a batch of 32 inputs, regressed onto targets T.
const LAYERS = 12, WIDTH = 8, N = 32;
const X = numbers(N * WIDTH, 1), T = numbers(N * WIDTH, 2, 0.5);
type Layer = { readonly w: Tensor; readonly b: Tensor };
type Params = { readonly layers: readonly Layer[] };
/** The parameters as numbers: what the transforms take (they hand the loss the same tree as nodes). */
type Point = { layers: Array<{ w: Float64Array; b: Float64Array }> };

const layer = ({ h, w, b }: { h: Tensor; w: Tensor; b: Tensor }) => h.matmul(w.reshape([WIDTH, WIDTH])).add(b).tanh();

/** A block of consecutive layers: everything it uses comes in through its one argument. */
const block = ({ h, layers }: { h: Tensor; layers: readonly Layer[] }) => {
  for (const { w, b } of layers) h = layer({ h, w, b });
  return h;
};

/** The loss with the layers grouped in blocks of `every` (0: no checkpoint at all). */
function deepLoss(every: number): (p: Params) => Scalar {
  const step = every === 0 ? block : checkpoint(block);
  const size = every === 0 ? LAYERS : every;
  return (p) => {
    let h = tensor(X, [N, WIDTH]);
    for (let k = 0; k < LAYERS; k += size) h = step({ h, layers: p.layers.slice(k, k + size) });
    return h.sub(tensor(T, [N, WIDTH])).square().mean().mul(0.5);
  };
}

const params = (seed: number, scale: number): Point => ({
  layers: Array.from({ length: LAYERS }, (_, k) => ({ w: numbers(WIDTH * WIDTH, seed + k, scale), b: numbers(WIDTH, seed + 100 + k, 0.1) })),
});
const p0 = params(10, 1.2 / Math.sqrt(WIDTH));
const v = params(50, 1);

// 1. Same numbers.
console.log(`1. ${LAYERS} tanh layers of width ${WIDTH}, N = ${N}: f, ∇f and H·v with and without checkpoints`);
const flatOf = (p: unknown) => (p as Point).layers.flatMap(({ w, b }) => [...w, ...b]);
const plain = gradAndHvp(deepLoss(0), p0, v);
for (const every of [1, 3, 4]) {
  const saved = gradAndHvp(deepLoss(every), p0, v);
  check(`checkpoint per ${every} layer(s): f, ∇f, H·v = without checkpoints`,
    [saved.value, ...flatOf(saved.grad), ...flatOf(saved.hvp)], [plain.value, ...flatOf(plain.grad), ...flatOf(plain.hvp)], 1e-13);
}

// 2. What the tape keeps: the numbers of every node's four lanes (value, R{value}, adjoint, R{adjoint}),
// from a trace of the sweeps; while a block runs again, its own tape holds that block's nodes too.
const floatsOf = (t: ReturnType<typeof trace>) => t.rows.reduce((n, r) => n + 4 * (typeof r.value === 'number' ? 1 : r.value.length), 0);
const parameterFloats = 4 * LAYERS * (WIDTH * WIDTH + WIDTH);
const kept = (every: number) => floatsOf(trace(deepLoss(every), p0, v)) - parameterFloats;
const segment = (every: number) => floatsOf(trace(({ h, layers }: { h: Tensor; layers: readonly Layer[] }) => block({ h, layers }).sum(),
  { h: tensor(X, [N, WIDTH]), layers: p0.layers.slice(0, every) }, { h: numbers(N * WIDTH, 3), layers: v.layers.slice(0, every) }));
console.log('\n2. numbers held besides the parameters\' own lanes (a block\'s tape lives while it runs again)');
console.log('   layers per block   on the tape   + one block running   = at most');
const budget = kept(0) / 2;
let best = 0;
for (const every of [0, 1, 2, 3, 4, 6, 12]) {
  const onTape = kept(every), running = every === 0 ? 0 : segment(every);
  console.log(`   ${(every === 0 ? 'none' : String(every)).padStart(16)}   ${String(onTape).padStart(11)}   ${String(running).padStart(19)}   ${String(onTape + running).padStart(8)}`);
  if (every > 0 && onTape + running <= budget && (best === 0 || every > best)) best = every;
}
checkAtMost('blocks of 3 or 4 layers (about √12) keep at most half of the numbers of the plain tape', Math.min(kept(3) + segment(3), kept(4) + segment(4)) / kept(0), 0.5);
console.log(`   the largest block within a budget of half the plain tape: ${best} layers`);

// 3. Newton–CG on the checkpointed loss: every H·v recomputes the blocks, the iterates are the same.
console.log('\n3. trust-region Newton–CG, 15 iterations, with blocks of 3 layers and without checkpoints');
const solve = (every: number) => newtonCG(deepLoss(every), p0, { maxIterations: 15 });
const withCheckpoints = solve(3), without = solve(0);
check('the same iterates: final parameters', flatOf(withCheckpoints.x), flatOf(without.x), 1e-10);
checkAtMost('the loss fell below half its starting value', withCheckpoints.value / plain.value, 0.5);
console.log(`   loss ${plain.value.toExponential(3)} → ${withCheckpoints.value.toExponential(3)} (${withCheckpoints.iterations} iterations)`);

// 4. A block must receive every node it uses: closing over a parameter is refused, with the fix.
console.log('\n4. a block that closes over a parameter');
let refused = '';
try {
  gradAndHvp((p: Params) => {
    const closes = checkpoint((h: Tensor) => layer({ h, w: p.layers[0].w, b: p.layers[0].b }));
    return closes(tensor(X, [N, WIDTH])).sum();
  }, p0, v);
} catch (error) {
  if (error instanceof CheckpointError) refused = error.message;
}
check('CheckpointError, naming the fix', refused.includes('pass that node as part of the argument') ? 1 : 0, 1, 0);

// 5. Time (printed only): the fastest of 10 calls after 5 warm-up calls.
const msOf = (every: number) => {
  const f = deepLoss(every);
  let fastest = Infinity;
  for (let k = 0; k < 15; k++) {
    const start = performance.now();
    gradAndHvp(f, p0, v);
    if (k >= 5) fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
};
console.log(`\n5. ms per gradAndHvp: no checkpoint ${msOf(0).toFixed(2)}, per layer ${msOf(1).toFixed(2)}, per 3 layers ${msOf(3).toFixed(2)}`);

finish();
