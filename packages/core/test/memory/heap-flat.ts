/**
 * Heap measurements for memory.test.ts, run in a child process started with --expose-gc so that
 * heapUsed can be read after a full collection (vitest's own workers cannot be gc()'d on demand):
 *
 *   node --expose-gc --import tsx --conditions=@dualtape/source test/memory/heap-flat.ts [phase …]
 *
 * Prints one JSON line per phase on stdout. Phases:
 *   gradAndHvp   10⁵ consecutive gradAndHvp calls on a 2-3-1 tanh network (tensor ops);
 *                heap after gc() at call 10⁴ and at 10⁵
 *   transforms   5·10³ rounds of valueAndGrad, hvpOperator(+apply), hessian, vjp(+pullback), jvp
 *   failures     10⁴ calls that fail mid-recording (a user throw, a TapeBudgetError, a ShapeError)
 *   budget       an endless scalar loop with { maxNodes: 2²⁰ }, three times: TapeBudgetError; the
 *                peak of typed-array memory while it records (sampled inside the loop) is bounded
 *                by the budget, and the arrays are reused by the next tape, not grown
 */
import {
  ShapeError, TapeBudgetError, gradAndHvp, hessian, hvpOperator, jvp, tensor, valueAndGrad, vjp,
  type Scalar, type Tensor,
} from '../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function collect(): { heapUsed: number; arrayBuffers: number; external: number } {
  for (let k = 0; k < 3; k++) gc!();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, external: m.external };
}

// A 2-3-1 tanh network on a batch of four points, loss = mean squared error.
interface Params { W1: Float64Array; b1: Float64Array; W2: Float64Array; b2: number }
const X = [0.5, -1, 1.5, 0.25, -0.75, 2, 1, 1];
const T = [0.3, -0.2, 0.8, 0.1];
const net = (p: { W1: Tensor; b1: Tensor; W2: Tensor; b2: Scalar }): Scalar => {
  const h = tensor(X, [4, 2]).matmul(p.W1.reshape([3, 2]).transpose()).add(p.b1).tanh();
  return h.matmul(p.W2).add(p.b2).sub(tensor(T)).square().mean();
};
const params = (): Params => ({
  W1: Float64Array.of(0.1, -0.2, 0.3, 0.4, -0.5, 0.6),
  b1: Float64Array.of(0.01, 0.02, -0.03),
  W2: Float64Array.of(0.7, -0.8, 0.9),
  b2: 0.05,
});
const direction: Params = {
  W1: Float64Array.of(1, 0, -1, 0.5, 0.25, 2),
  b1: Float64Array.of(-1, 1, 0.5),
  W2: Float64Array.of(0.3, 0.2, 0.1),
  b2: 1,
};

let checksum = 0;

function phaseGradAndHvp(): unknown {
  const p = params();
  const marks: Record<string, number> = {};
  const start = Date.now();
  for (let i = 1; i <= 100_000; i++) {
    p.W1[i % 6] += 1e-12; // a slightly different point each call
    const r = gradAndHvp(net, p, direction);
    checksum += r.value + r.grad.b2 + r.hvp.W2[1];
    if (i === 1_000 || i === 10_000 || i === 50_000 || i === 100_000) marks[i] = collect().heapUsed;
  }
  return { phase: 'gradAndHvp', calls: 100_000, ms: Date.now() - start, heapUsed: marks };
}

function phaseTransforms(): unknown {
  const p = params();
  const flatV = Float64Array.of(1, 0, -1, 0.5, 0.25, 2, -1, 1, 0.5, 0.3, 0.2, 0.1, 1);
  const marks: Record<string, number> = {};
  const start = Date.now();
  for (let i = 1; i <= 5_000; i++) {
    p.b1[i % 3] += 1e-12;
    checksum += valueAndGrad(net)(p).value;
    const op = hvpOperator(net, p);
    checksum += op.applyFlat(flatV)[3] + op.apply(direction).b2;
    if (i % 10 === 0) checksum += hessian(net, p)[14];
    const back = vjp(net, p);
    checksum += back.pullback(1).b2 + back.pullback(2).b2;
    checksum += jvp(net, p, direction).tangent as number;
    if (i === 500 || i === 5_000) marks[i] = collect().heapUsed;
  }
  return { phase: 'transforms', rounds: 5_000, ms: Date.now() - start, heapUsed: marks };
}

function phaseFailures(): unknown {
  const p = params();
  const marks: Record<string, number> = {};
  const counts = { user: 0, budget: 0, shape: 0 };
  const boom = new Error('user code failed');
  const start = Date.now();
  for (let i = 1; i <= 10_000; i++) {
    try {
      gradAndHvp((q: { W1: Tensor; b1: Tensor; W2: Tensor; b2: Scalar }) => {
        net(q);
        if (i % 3 === 0) throw boom;
        if (i % 3 === 1) {
          let s = q.b2;
          for (;;) s = s.mul(1.0001);
        }
        return q.W1.add(q.b1).sum(); // [6] + [3]: a ShapeError after the network was recorded
      }, p, direction, { maxNodes: 200 });
    } catch (error) {
      if (error === boom) counts.user++;
      else if (error instanceof TapeBudgetError) counts.budget++;
      else if (error instanceof ShapeError) counts.shape++;
      else throw error;
    }
    if (i === 1_000 || i === 10_000) marks[i] = collect().heapUsed;
  }
  // And the next call is exact.
  const after = gradAndHvp(net, params(), direction);
  const fresh = gradAndHvp(net, params(), direction);
  const same = after.value === fresh.value && after.hvp.W1.every((h, k) => h === fresh.hvp.W1[k]);
  return { phase: 'failures', calls: 10_000, ms: Date.now() - start, counts, heapUsed: marks, nextCallExact: same };
}

function phaseBudget(): unknown {
  const maxNodes = 2 ** 20;
  const before = collect();
  const rounds: Array<{ error: string; message: string; heapUsed: number; arrayBuffers: number; peakArrayBuffers: number }> = [];
  for (let round = 0; round < 3; round++) {
    let error: unknown = null;
    let peak = 0;
    try {
      valueAndGrad((x: Scalar) => {
        let y = x;
        for (let i = 0; ; i++) {
          y = y.mul(1.0000001).add(x);
          if ((i & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().arrayBuffers);
        }
      }, { maxNodes })(0.5);
    } catch (e) {
      error = e;
    }
    const m = collect();
    rounds.push({
      error: (error as Error)?.name ?? 'none',
      message: (error as Error)?.message ?? '',
      heapUsed: m.heapUsed,
      arrayBuffers: m.arrayBuffers,
      peakArrayBuffers: peak,
    });
  }
  // A normal call afterwards works and is exact: f = x³ at 2 → 8, 12, H·v = 12·v.
  const r = gradAndHvp((x: Scalar) => x.mul(x).mul(x), 2, 0.5);
  return { phase: 'budget', maxNodes, before, rounds, after: { value: r.value, grad: r.grad, hvp: r.hvp } };
}

const phases: Record<string, () => unknown> = {
  gradAndHvp: phaseGradAndHvp,
  transforms: phaseTransforms,
  failures: phaseFailures,
  budget: phaseBudget,
};
const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(phases)) {
  const phase = phases[name];
  if (!phase) throw new Error(`unknown phase ${name}`);
  process.stdout.write(`${JSON.stringify(phase())}\n`);
}
if (!Number.isFinite(checksum)) process.stdout.write('checksum not finite\n');
