/**
 * Record once, replay many (guide page 8): `compile(f, x0)` records f once and replays the recorded
 * tape at new points — each op's primal rule forward (with its tangent rule, for H·v), its dual
 * backward rule in reverse — without calling f again, and with the same numbers, bit for bit, as the
 * transforms at that point.
 *
 *   1. extended Rosenbrock with scalar ops: replays at several points against gradAndHvp;
 *   2. a small tanh network (tensor ops): replays against the transforms;
 *   3. branches: a kink crossed in a replay is noticed (re-recorded, or BranchChangeError);
 *   4. what a replay cannot see: control flow on .value, and the same function written with ops;
 *   5. Newton–CG on a compiled oracle: f recorded once for the whole solve;
 *   6. time per call, compiled against re-recorded (printed, not checked: speed is benchmarked).
 *
 * Run: pnpm example compile
 */
import {
  BranchChangeError, StaleNodeError, abs, compile, gradAndHvp, minimum, relu, sign, tensor, valueAndGrad, where,
  type Scalar, type Tensor,
} from '@dualtape/core';
import { newtonCGFlat, type NewtonCGOracleResult } from '@dualtape/curvature';
import { check, finish } from './lib/check.js';

/** Seeded numbers in [−scale, scale): the points of the replays. */
function numbers(n: number, seed: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => scale * Math.sin(12.9898 * (k + 1) + 78.233 * seed));
}

// 1. Extended Rosenbrock, every operation a scalar node (13 nodes per pair of variables).
const rosenbrock = (x: Tensor) => {
  let f: Scalar | undefined;
  for (let i = 0; i + 1 < x.size; i += 2) {
    const a = x.at(i), b = x.at(i + 1);
    const term = b.sub(a.square()).square().mul(100).add(a.neg().add(1).square());
    f = f ? f.add(term) : term;
  }
  return f!;
};

const n = 1000;
const program = compile(rosenbrock, numbers(n, 0));
console.log(`1. extended Rosenbrock, n = ${n}: ${program.nodes} nodes recorded once`);
for (let seed = 1; seed <= 3; seed++) {
  const x = numbers(n, seed, 1.5), v = numbers(n, seed + 10);
  const replayed = program.gradAndHvp(x, v);
  const direct = gradAndHvp(rosenbrock, x, v);
  check(`point ${seed}: f, ∇f and H·v of the replay = gradAndHvp, bit for bit`,
    [replayed.value, ...replayed.grad, ...replayed.hvp], [direct.value, ...direct.grad, ...direct.hvp], 0);
}
check('f was not called again, and no branch changed', program.rerecords, 0, 0);

// 2. A two-layer tanh network, E(w) = ½ Σ (tanh(X·W1 + b1)·W2 + b2 − T)², with tensor ops.
const D = 4, H = 6, K = 2, N = 16;
const X = tensor(numbers(N * D, 20), [N, D]);
const T = tensor(numbers(N * K, 21), [N, K]);
type Weights = { w1: Tensor; b1: Tensor; w2: Tensor; b2: Tensor };
const network = (p: Weights) => {
  const hidden = X.matmul(p.w1.reshape([D, H])).add(p.b1).tanh();
  return hidden.matmul(p.w2.reshape([H, K])).add(p.b2).sub(T).square().sum().mul(0.5);
};
const weights = (seed: number) => ({ w1: Array.from(numbers(D * H, seed)), b1: Array.from(numbers(H, seed + 1, 0.1)), w2: Array.from(numbers(H * K, seed + 2)), b2: Array.from(numbers(K, seed + 3, 0.1)) });

const net = compile(network, weights(30));
console.log(`\n2. a ${D}-${H}-${K} tanh network on ${N} patterns: ${net.nodes} tensor nodes`);
for (const seed of [31, 32, 33]) {
  const p = weights(seed), v = weights(seed + 40);
  const replayed = net.gradAndHvp(p, v), direct = gradAndHvp(network, p, v);
  const all = (r: typeof replayed) => [r.value, ...Object.values(r.grad).flatMap((g) => [...g]), ...Object.values(r.hvp).flatMap((h) => [...h])];
  check(`weights ${seed}: the replay = gradAndHvp, bit for bit`, all(replayed), all(direct), 0);
}

// 3. Branches. An ℓ1 penalty has a kink at 0 in each weight: abs records which side it is on.
console.log('\n3. an ℓ1 penalty: abs records the side of its kink');
const lasso = (w: Tensor) => X.matmul(w).sub(T.slice(0, 1, 1).reshape([N])).square().sum().add(abs(w).sum().mul(0.1));
const sameSigns = [0.5, -0.2, 0.3, -0.4], otherSigns = [0.5, 0.2, 0.3, -0.4];
const l1 = compile(lasso, [1, -1, 1, -1]);
check('same signs as recorded: replayed, nothing re-recorded', [l1.valueAndGrad(sameSigns).value, l1.rerecords], [valueAndGrad(lasso)(sameSigns).value, 0], 0);
const crossed = l1.valueAndGrad(otherSigns);
check('a sign crossed: noticed, f recorded again there, and the numbers are right', [crossed.value, ...crossed.grad, l1.rerecords],
  [valueAndGrad(lasso)(otherSigns).value, ...valueAndGrad(lasso)(otherSigns).grad, 1], 0);
const strict = compile(lasso, [1, -1, 1, -1], { onBranchChange: 'throw' });
try {
  strict.valueAndGrad(otherSigns);
  check('onBranchChange: throw raises BranchChangeError', 0, 1, 0);
} catch (error) {
  check('onBranchChange: throw raises BranchChangeError', Number(error instanceof BranchChangeError), 1, 0);
}

// 4. What a replay cannot see: a decision taken in JavaScript, on a value, while f was recorded.
console.log('\n4. control flow on .value is frozen; written with ops it stays on the tape');
// Frozen: the Huber loss with its two pieces chosen by r.value.
const delta = 1;
const huberFrozen = (r: Tensor) =>
  where(Array.from(r.value, (e) => (Math.abs(e) <= delta ? 1 : 0)), r.square().mul(0.5), r.abs().sub(delta / 2).mul(delta)).sum();
// On the tape: the same function with minimum and abs, whose branches a replay watches.
const huber = (r: Tensor) => {
  const inner = minimum(r.abs(), delta);
  return inner.square().mul(0.5).add(r.abs().sub(inner).mul(delta)).sum();
};
// if (s > 0) A else B on the tape: where with a mask node (relu(sign(s)) is 1 where s > 0), which a
// replay watches; log of the entries ≤ 0 is never picked, so it stays out of the value and derivatives.
const piecewise = (s: Tensor) => where(relu(sign(s)), s.log(), s.square().mul(s));
const small = [0.5, -0.3], large = [3, -0.3];
const frozen = compile(huberFrozen, small).valueAndGrad(large).value;
check('frozen: the replay keeps the recorded pieces (½r², not |r| − ½, for r = 3)', frozen, 0.5 * 9 + 0.5 * 0.09, 1e-15);
check('the transforms at that point give the right value', valueAndGrad(huberFrozen)(large).value, 2.5 + 0.5 * 0.09, 1e-15);
check('written with minimum and abs, the replay notices and is right', compile(huber, small).valueAndGrad(large).value, valueAndGrad(huber)(large).value, 0);
const pw = compile((s: Tensor) => piecewise(s).sum(), [0.7, 2]);
const right = pw.valueAndGrad([0.4, 2]), both = pw.valueAndGrad([0.4, -2]);
check('if (s > 0) log s else s³ on the tape: values and derivatives on both sides, one re-recording',
  [right.value, ...right.grad, both.value, ...both.grad, pw.rerecords],
  [Math.log(0.4) + Math.log(2), 1 / 0.4, 1 / 2, Math.log(0.4) - 8, 1 / 0.4, 12, 1], 1e-15);

// 5. Newton–CG: every oracle call and every H·v is a replay of one recording. An operator is valid
// until the program's next call (a trial point), so the oracle makes it again when CG comes back.
const newtonProgram = compile(rosenbrock, numbers(100, 0));
let remade = 0;
const oracle = (x: Float64Array): NewtonCGOracleResult => {
  const at = Float64Array.from(x);
  let operator = newtonProgram.hvpOperator(at);
  const apply = (v: Float64Array) => {
    try {
      return operator.applyFlat(v);
    } catch (error) {
      if (!(error instanceof StaleNodeError)) throw error;
      operator = newtonProgram.hvpOperator(at);
      remade++;
      return operator.applyFlat(v);
    }
  };
  return { value: operator.value, grad: operator.grad, apply };
};
const start = Float64Array.from({ length: 100 }, (_, k) => (k % 2 === 0 ? -1.2 : 1));
const solved = newtonCGFlat(oracle, start, { gradTolerance: 1e-10 });
console.log(`\n5. Newton–CG, n = 100: ${solved.iterations} iterations, ${solved.evaluations} points, ${solved.hvpCount} H·v (${remade} operators made again after a rejected trial), f recorded once`);
check('Newton–CG on the compiled oracle reaches the minimum (1, …, 1)', solved.x, new Float64Array(100).fill(1), 1e-9);
check('f recorded once for the whole solve', newtonProgram.rerecords, 0, 0);

// 6. Time per call at n = 20 000 (130 000 nodes): a replay against recording f again, in this process
// (after the parts above, which leave the op functions less specialised; `pnpm bench --only=compile`
// measures each alone, bundled).
const big = 20_000;
const bigProgram = compile(rosenbrock, numbers(big, 0));
const x = numbers(big, 1, 1.5), v = numbers(big, 2);
const g = new Float64Array(big), hv = new Float64Array(big);
const best = (run: () => unknown) => {
  let fastest = Infinity;
  for (let k = 0; k < 15; k++) {
    const t0 = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - t0);
  }
  return fastest;
};
const replayMs = best(() => bigProgram.gradAndHvpFlat(x, v, g, hv));
const recordMs = best(() => gradAndHvp(rosenbrock, x, v));
console.log(`\n6. gradAndHvp at n = ${big} (${bigProgram.nodes} nodes): replayed ${replayMs.toFixed(2)} ms ` +
  `(${((replayMs * 1e6) / bigProgram.nodes).toFixed(1)} ns/node), re-recorded ${recordMs.toFixed(2)} ms (${((recordMs * 1e6) / bigProgram.nodes).toFixed(1)} ns/node)`);
check('the timed replay is still exact', [...g, ...hv], [...gradAndHvp(rosenbrock, x, v).grad, ...gradAndHvp(rosenbrock, x, v).hvp], 0);
finish();
