/**
 * Fused elementwise loops for the numbers algebra. A rule written once against the algebra does its
 * tensor arithmetic one operation at a time — tanh's R-adjoint is R{ȳ}·(1 − y²) + ȳ·(R{x}·(−2y(1 − y²)))
 * — and done eagerly, each operation would be a pass over memory and a fresh array. Instead the
 * numbers algebra returns a {@link Lazy} expression for elementwise work on arrays; when a value is
 * needed (stored in a lane, fed to a matrix product, read as numbers) the whole expression runs as
 * ONE loop, with the lane update (`+=`) folded in.
 *
 * The loop is generated once per expression *shape* (which operations, which operands repeat) and
 * cached, so a rule's loop is compiled the first time it runs and reused for every node and call —
 * the way XLA fuses elementwise HLO, on a small scale. Where code generation is not allowed (a
 * Content-Security-Policy without 'unsafe-eval'), the same expression is evaluated by an
 * interpreter, one operation at a time. A long loop that calls the math library (tanh, exp, …) is
 * split across the kernel threads (`split`), the workers compiling it from its source text. Two
 * expressions written together — an elementwise op's adjoint and R-adjoint, which share f′(x), x and
 * ȳ (Tape.addBarPair); a unary op's value and tangent, which share y (unary.ts) — run as one loop
 * with two outputs (`evaluatePair`), split across the threads as one loop is.
 * @module
 */
import { allowLoopCopies } from '../elementwise/own-loops.js';
import { isSelfContained } from '../elementwise/self-contained.js';
import { splitLoop } from '../kernels/backend.js';
import { unfilled } from './unfilled.js';
import { runWasmLoop, WASM_LOOP_MIN } from './wasm-loops.js';
import { KIND_CODE, KINDS, REF_ARRAY, REF_NUMBER, REF_TEMP, REF_ZERO, type Kind, type Plan } from './plan.js';

/** An operand: another expression, an array of the expression's length, or a number (any shape). */
export type Operand = Lazy | Float64Array | number;

/**
 * An elementwise expression over arrays of length `n`, not computed yet. `'*'` is the product with
 * structural zeros of the algebra (0·∞ = 0, counted); `'f1'`/`'f2'` apply a function of one or two
 * numbers (an op's f, or a piecewise-constant mask), with the constant parameter `p` for f1.
 * @internal
 */
export class Lazy {
  constructor(
    readonly kind: Kind,
    readonly a: Operand,
    readonly b: Operand,
    readonly n: number,
    readonly fn: ((u: number, v: number) => number) | null = null,
  ) {}
}

/**
 * True for work cheap enough to leave undone until read, and to do again for each reader: at most
 * `budget` sums, differences, negations and tiles (a bias add and its tangent; fusion.ts's loops read
 * such work in place of an array, Lanes.fusedVal), reading only arrays that are `held` elsewhere — the
 * work left undone must not be what keeps an array alive (two products' sum would hold both, where
 * computing it holds one).
 */
export function isLight(e: Lazy, held: (a: Float64Array) => boolean, budget = 4): boolean {
  return lightSteps(e, held, budget) >= 0;
}

/** The budget left after e's steps, or −1 once it runs out, e holds heavier work or an array not held. */
function lightSteps(e: Operand, held: (a: Float64Array) => boolean, budget: number): number {
  if (typeof e === 'number') return budget;
  if (e instanceof Float64Array) return held(e) ? budget : -1;
  if (budget === 0 || !(e.kind === '+' || e.kind === '-' || e.kind === 'neg' || e.kind === 'tile')) return -1;
  const left = lightSteps(e.a, held, budget - 1);
  return left < 0 || e.kind === 'neg' || e.kind === 'tile' ? left : lightSteps(e.b, held, left);
}

/** The common length of operands (arrays and expressions), or −1 when all are numbers. */
export function lengthOf(a: Operand, b: Operand): number {
  const na = typeof a === 'number' ? -1 : a instanceof Lazy ? a.n : a.length;
  const nb = typeof b === 'number' ? -1 : b instanceof Lazy ? b.n : b.length;
  if (na >= 0 && nb >= 0 && na !== nb) throw new Error(`dualtape internal error: elementwise lengths ${na} and ${nb}`);
  return na >= 0 ? na : nb;
}

/** The structural-zero product of two numbers, counting indeterminate products (the algebra's). */
export type Times = (u: number, w: number) => number;

/**
 * Evaluates an expression into `out` (allocated when null), adding to it when `accumulate`. Returns
 * the array written.
 */
export function evaluate(e: Lazy, times: Times, out: Float64Array | null, accumulate: boolean): Float64Array {
  const target = out ?? unfilled(e.n); // not accumulating: the loop writes every element
  const plan = planOf(e);
  const adds = [accumulate && out !== null];
  const key = keyOf(plan, adds);
  const done = canGenerate ? runWasmLoop(plan, key, adds, [target], e.n) : 0;
  if (done === e.n && done > 0) return target;
  const kernel = kernelFor(plan, adds, key)!;
  if (done > 0) {
    runRest(kernel, plan, plan.arrays, times, target, e.n, done);
    return target;
  }
  if (e.n > 0 && !(e.n >= SPLIT_MIN && split(plan, kernel, times, target, e.n, 0, adds[0]))) {
    kernel(plan.arrays, plan.numbers, plan.fns, times, target, e.n, plan.period);
  }
  return target;
}

/**
 * Whether {@link evaluatePair} takes e0 and e1: two expressions of one length (not one and the same),
 * where loops can be generated.
 */
export function pairable(e0: Lazy, e1: Lazy): boolean {
  return canGenerate && e0.n === e1.n && e0.n > 0 && e0 !== e1;
}

/**
 * Two expressions (see {@link pairable}) evaluated in ONE loop, into out0 and out1 (allocated when
 * null; added to when acc0/acc1): what they share — f′(x) in an adjoint and its R-adjoint, y = f(x)
 * in a value and its tangent — is computed once per element, and the arrays both read are read
 * once. Each element is computed by the same steps as in its own loop (evaluate), so the numbers are
 * the same, and a long loop calling the math library is split across the threads as one loop is. An
 * output may be an array an expression reads (a spent lane: the loop reads each element before it
 * writes it), but the two outputs must be different arrays. Returns [out0, out1].
 */
export function evaluatePair(
  e0: Lazy, out0: Float64Array | null, acc0: boolean, e1: Lazy, out1: Float64Array | null, acc1: boolean, times: Times,
): [Float64Array, Float64Array] {
  const plan = planOfAll([e0, e1]);
  const adds = [acc0 && out0 !== null, acc1 && out1 !== null];
  const key = keyOf(plan, adds);
  const n = e0.n;
  let done = 0;
  if (canGenerate && n >= WASM_LOOP_MIN) {
    const outs = [out0 ?? unfilled(n), out1 ?? unfilled(n)];
    done = runWasmLoop(plan, key, adds, outs, n);
    if (done === n) {
      pairLoops++;
      return [outs[0], outs[1]];
    }
    [out0, out1] = outs; // added to only where adds says, so fresh arrays serve as the targets below
  }
  const kernel = kernelFor(plan, adds, key);
  if (kernel === null) return [evaluate(e0, times, out0, acc0), evaluate(e1, times, out1, acc1)]; // no code generation here
  const target0 = out0 ?? unfilled(n), target1 = out1 ?? unfilled(n);
  // The loop finds out1 after its inputs (generate).
  const arrays = [...plan.arrays, target1];
  if (done > 0) runRest(kernel, plan, arrays, times, target0, n, done);
  else if (!(n >= SPLIT_MIN && split({ ...plan, arrays }, kernel, times, target0, n, 1, adds[0] || adds[1]))) {
    kernel(arrays, plan.numbers, plan.fns, times, target0, n, plan.period);
  }
  pairLoops++;
  return [target0, target1];
}

let pairLoops = 0;

/**
 * Runs a loop's elements from `done` on (a multiple of its period: where WebAssembly met a NaN,
 * wasm-loops.ts) in JavaScript: arrays of the loop's length and `out` from there, tiles whole.
 */
function runRest(kernel: Kernel, plan: Plan, arrays: readonly Float64Array[], times: Times, out: Float64Array, n: number, done: number): void {
  const rest = arrays.map((a) => (a.length === n ? a.subarray(done) : a));
  kernel(rest, plan.numbers, plan.fns, times, out.subarray(done), n - done, plan.period === n ? n - done : plan.period);
}

/** How many pairs have run as one loop so far (for tests: that the rules take this path). @internal */
export function pairLoopsRun(): number {
  return pairLoops;
}

/**
 * Elements from which a loop calling the math library is split across the kernel threads: at
 * 10–20 ns an element (Math.tanh, Math.exp) 2¹⁵ of them take about half a millisecond, against
 * tens of microseconds to copy a part in and out and wake a worker.
 */
export const SPLIT_MIN = 1 << 15;

/**
 * Runs the loop split across the kernel threads when it pays and can be done; false if not. It
 * pays for a loop that calls the math library (10–20 ns an element). Loops of plain arithmetic run
 * in WebAssembly instead (wasm-loops.ts), faster on one thread than split in JavaScript on two (a
 * pair of them, an adjoint with its R-adjoint, measured 6% faster split at 100-200-10, before).
 * It can be done when every function the loop calls is self-contained. The last `writes` of the
 * plan's arrays are outputs too (a pair's out1); `addsToOutputs` when the loop adds into its outputs
 * (so their old values are read).
 */
function split(plan: Plan, kernel: Kernel, times: Times, out: Float64Array, n: number, writes: number, addsToOutputs: boolean): boolean {
  const { fns } = plan;
  if (fns.length === 0) return false;
  for (let i = 0; i < fns.length; i++) if (!isSelfContained(fns[i])) return false;
  const source = sources.get(kernel);
  if (source === undefined) return false; // the interpreter: no code to hand a worker
  const tiled = plan.steps.some((code, q) => q % 4 === 0 && code === TILE);
  return splitLoop({ kernel, source, fns, arrays: plan.arrays, numbers: plan.numbers, out, n, period: plan.period, unit: tiled ? plan.period : 1, times, writes, addsToOutputs });
}

/**
 * An array of length P repeated to length n (a multiple of P), as a lazy expression: a broadcast
 * along leading axes that a fused loop reads in place.
 */
export function tile(a: Float64Array, n: number): Lazy {
  return new Lazy('tile', a, 0, n);
}

/** A tiled array written out (for a second period in one expression; the loop reads one). */
function tileOut(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const p = a.length;
  for (let k0 = 0; k0 < n; k0 += p) out.set(a, k0);
  return out;
}

const TILE = KIND_CODE.tile;

function planOf(root: Lazy): Plan {
  return planOfAll([root]);
}

/** One plan for several roots of the same length: what they share is one step, computed once per element. */
function planOfAll(roots: readonly Lazy[]): Plan {
  const arrays: Float64Array[] = [];
  const numbers: number[] = [];
  const fns: Array<(u: number, v: number) => number> = [];
  const steps: number[] = [];
  let period = -1;
  // Operands seen so far and their refs: a linear search beats a Map at the sizes rules make.
  const seen: Array<Lazy | Float64Array> = [];
  const refs: number[] = [];
  const ref = (x: Operand): number => {
    if (typeof x === 'number') return (numbers.push(x) - 1) * 3 + REF_NUMBER;
    const at = seen.indexOf(x);
    if (at >= 0) return refs[at];
    if (x instanceof Float64Array) {
      const r = (arrays.push(x) - 1) * 3 + REF_ARRAY;
      seen.push(x);
      refs.push(r);
      return r;
    }
    if (x.kind === 'tile') {
      const src = x.a as Float64Array;
      // The loop has one inner period: the first tile sets it, a tile of another is written out.
      if (period < 0 || period === src.length) period = src.length;
      else return ref(tileOut(src, x.n));
    }
    // Post-order over the DAG: a shared subexpression is computed once per element.
    const a = ref(x.a);
    const one = x.kind === 'neg' || x.kind === 'f1';
    const b = x.kind === 'tile' ? REF_ZERO : one ? (typeof x.b === 'number' ? ref(x.b) : REF_ZERO) : ref(x.b);
    let f = -1;
    if (x.fn) {
      f = fns.indexOf(x.fn);
      if (f < 0) f = fns.push(x.fn) - 1;
    }
    const r = (steps.length / 4) * 3 + REF_TEMP;
    steps.push(KIND_CODE[x.kind], a, b, f);
    seen.push(x);
    refs.push(r);
    return r;
  };
  const results = roots.map(ref);
  return { steps, arrays, numbers, fns, results, period: period < 0 ? roots[0].n : period };
}

type Kernel = (
  arrays: Float64Array[], numbers: number[], fns: Array<(u: number, v: number) => number>,
  times: Times, out: Float64Array, n: number, period: number,
) => void;

const kernels = new Map<string, Kernel>();
/** The source text of each generated loop, for a worker to compile (split). */
const sources = new WeakMap<Kernel, string>();
const MAX_KERNELS = 2000;
let canGenerate = true;

/**
 * Turns code generation off (as a Content-Security-Policy without 'unsafe-eval' would) or back on,
 * dropping the loops made so far (and the per-op primal loops, elementwise/own-loops.ts): lets the
 * tests run the interpreter against the generated loops.
 * @internal
 */
export function allowFusedCodegen(allowed: boolean): void {
  canGenerate = allowed;
  kernels.clear();
  allowLoopCopies(allowed);
}

/**
 * The loop of a plan, writing each result to its output (`out`, then a pair's out1) and adding into
 * it where `adds` says: generated once per shape, or the interpreter where code cannot be generated.
 * Null for a plan of two results without code generation (evaluatePair then runs one loop each).
 */
function kernelFor(plan: Plan, adds: readonly boolean[], key = keyOf(plan, adds)): Kernel | null {
  const known = kernels.get(key);
  if (known) return known;
  let kernel = canGenerate ? generate(plan, adds) : null;
  if (kernel === null) {
    if (plan.results.length > 1) return null;
    kernel = interpret(plan, adds[0]);
  }
  if (kernels.size >= MAX_KERNELS) kernels.clear();
  kernels.set(key, kernel);
  return kernel;
}

/**
 * A plan's shape with its additions: the steps as a short string (small integers as char codes), a
 * cheap, exact key for the loops compiled from it.
 */
function keyOf(plan: Plan, adds: readonly boolean[]): string {
  const { steps, results } = plan;
  let key = '';
  for (let r = 0; r < results.length; r++) key += (adds[r] ? '+' : '=') + String.fromCharCode(results[r] + 2);
  key += '|';
  for (let k = 0; k < steps.length; k++) key += String.fromCharCode(steps[k] + 2);
  return key;
}

/** An operand as JavaScript text in the generated loop. */
function operandText(r: number): string {
  if (r === REF_ZERO) return '0';
  const i = Math.floor(r / 3);
  return r % 3 === REF_ARRAY ? `a${i}[k]` : r % 3 === REF_NUMBER ? `c${i}` : `t${i}`;
}

/**
 * One node of the loop body, `t3 = t1 * a0[k]` style; temps are named `${prefix}3`. With `checked`
 * a product that comes out NaN is redone by the structural-zero rule (`times`), else it is taken as
 * it is (+ 0 still makes a zero +0).
 */
function lineOf(steps: number[], s: number, prefix: string, checked: boolean): string {
  const name = (r: number) => operandText(r).replace(/^t/, prefix);
  const t = `${prefix}${s}`, a = name(steps[4 * s + 1]), b = name(steps[4 * s + 2]), f = `f${steps[4 * s + 3]}`;
  switch (KINDS[steps[4 * s]]) {
    case '+': return `const ${t} = ${a} + ${b};`;
    case '-': return `const ${t} = ${a} - ${b};`;
    case '/': return `const ${t} = ${a} / ${b};`;
    case 'neg': return `const ${t} = -${a};`;
    case 'tile': return `const ${t} = ${a.replace('[k]', '[j]')};`;
    // Only a NaN product can be a 0·∞ for the structural-zero rule; + 0 makes a zero +0.
    case '*': return checked ? `let ${t} = ${a} * ${b}; ${t} = ${t} === ${t} ? ${t} + 0 : times(${a}, ${b});` : `const ${t} = ${a} * ${b} + 0;`;
    default: return `const ${t} = ${f}(${a}, ${b});`;
  }
}

/**
 * The loop of a plan as JavaScript, compiled with `new Function`; null (and no more code generation)
 * where that is refused. A pair's second output comes as the array after the plan's inputs, so the
 * loop has the one signature and the threads split it as any loop (Pool.map, `writes`).
 */
function generate(plan: Plan, adds: readonly boolean[]): Kernel | null {
  const count = plan.steps.length / 4;
  const stepsOf = (prefix: string, checked: boolean) => Array.from({ length: count }, (_, s) => lineOf(plan.steps, s, prefix, checked));
  const outputs = plan.results.map((_, r) => (r === 0 ? 'out' : `out${r}`));
  const prologue = [
    ...plan.arrays.map((_, i) => `const a${i} = arrays[${i}];`),
    ...outputs.slice(1).map((name, r) => `const ${name} = arrays[${plan.arrays.length + r}];`),
    ...plan.numbers.map((_, i) => `const c${i} = numbers[${i}];`),
    ...plan.fns.map((_, i) => `const f${i} = fns[${i}];`),
  ];
  // With tiled arrays, an inner loop over one period (j) inside a loop over the repeats (k runs on).
  const tiled = plan.steps.some((code, q) => q % 4 === 0 && code === TILE);
  const loop = tiled
    ? 'for (let k0 = 0, k = 0; k0 < n; k0 += period) for (let j = 0; j < period; j++, k++) {'
    : 'for (let k = 0; k < n; k++) {';
  const results = (prefix: string) => plan.results.map((res, r) => `r${r} = ${operandText(res).replace(/^t/, prefix)}`);
  const writes = outputs.map((name, r) => `${name}[k] ${adds[r] ? '+=' : '='} r${r};`).join('\n');
  // A NaN product is a 0·∞ only if one factor is 0: checking each product costs a compare and a
  // branch apiece. Without functions (which may map NaN to a number: a mask), every step passes a
  // NaN on to the results (NaN·0 is NaN), so the element's products can be taken as they are and
  // the element redone with the checks only when a result is NaN: the same numbers, and a 0·∞
  // counted exactly when one occurs, at one check per result and element.
  const perElement = plan.fns.length === 0 && plan.steps.some((code, q) => q % 4 === 0 && code === KIND_CODE['*']);
  const body = perElement
    ? `${stepsOf('t', false).join('\n')}
let ${results('t').join(', ')};
if (${plan.results.map((_, r) => `r${r} !== r${r}`).join(' || ')}) {
${stepsOf('u', true).join('\n')}
${results('u').join(';\n')};
}
${writes}`
    : `${stepsOf('t', true).join('\n')}
const ${results('t').join(', ')};
${writes}`;
  const source = `${prologue.join('\n')}
${loop}
${body}
}`;
  try {
    const kernel = new Function('arrays', 'numbers', 'fns', 'times', 'out', 'n', 'period', source) as Kernel;
    sources.set(kernel, source);
    return kernel;
  } catch {
    canGenerate = false; // e.g. a Content-Security-Policy that forbids eval
    return null;
  }
}

/** The same loop without code generation: each step evaluated in turn, element by element. */
function interpret(plan: Plan, accumulate: boolean): Kernel {
  const steps = plan.steps.slice();
  const count = steps.length / 4;
  return (arrays, numbers, fns, times, out, n, period) => {
    const t = new Float64Array(count);
    const read = (r: number, k: number): number => {
      if (r === REF_ZERO) return 0;
      const i = Math.floor(r / 3);
      return r % 3 === REF_ARRAY ? arrays[i][k] : r % 3 === REF_NUMBER ? numbers[i] : t[i];
    };
    for (let k = 0; k < n; k++) {
      for (let s = 0; s < count; s++) {
        const kind = KINDS[steps[4 * s]];
        if (kind === 'tile') {
          t[s] = arrays[Math.floor(steps[4 * s + 1] / 3)][k % period];
          continue;
        }
        const u = read(steps[4 * s + 1], k), w = read(steps[4 * s + 2], k);
        t[s] = kind === '+' ? u + w : kind === '-' ? u - w : kind === '/' ? u / w : kind === 'neg' ? -u
          : kind === '*' ? times(u, w) : fns[steps[4 * s + 3]](u, w);
      }
      const r = read(plan.results[0], k);
      out[k] = accumulate ? out[k] + r : r;
    }
  };
}
