// A first program in a fresh npm project, run by scripts/pack-smoke.mjs against the packed
// tarballs: compiled with tsc against the installed .d.ts files, then run with node. Every number
// is checked against a formula worked out here, not against the engine's own output.
import { gradAndHvp, getKernelBackend, hvpOperator, setKernelBackend, ShapeError, tensor, trace, type Tensor } from '@dualtape/core';
import { checkGrads } from '@dualtape/core/testing';
import { cg } from '@dualtape/curvature';
import { rPropagation, twoLayerNet } from '@dualtape/nn';
import { renderTraceSvg } from '@dualtape/viz';

// No @types/node here on purpose: the packages' types must compile without it.
declare const process: { exitCode?: number; getBuiltinModule(id: 'node:fs'): { readdirSync(path: string): string[] } };

let failures = 0;
function check(what: string, ok: boolean, detail = ''): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures++;
}
const maxRelDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
};

// f(W) = ½‖X·W − Y‖² for X m×k, W k×n: ∇f = Xᵀ(XW − Y) and H·V = XᵀX·V, computed below with loops.
const m = 64, k = 48, n = 8;
const X = Float64Array.from({ length: m * k }, (_, i) => Math.sin(0.7 * i));
const Y = Float64Array.from({ length: m * n }, (_, i) => Math.cos(0.3 * i));
const W = Float64Array.from({ length: k * n }, (_, i) => Math.sin(1.3 * i) / 4);
const V = Float64Array.from({ length: k * n }, (_, i) => Math.cos(0.9 * i));
const f = (w: Tensor) => tensor(X, [m, k]).matmul(w.reshape([k, n])).sub(tensor(Y, [m, n])).square().sum().mul(0.5);

const times = (A: Float64Array, B: Float64Array, rows: number, inner: number, cols: number, transposeA = false) => {
  const C = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
    let s = 0;
    for (let q = 0; q < inner; q++) s += (transposeA ? A[q * rows + i] : A[i * inner + q]) * B[q * cols + j];
    C[i * cols + j] = s;
  }
  return C;
};
const residual = times(X, W, m, k, n).map((r, i) => r - Y[i]);
const expectedValue = 0.5 * residual.reduce((s, r) => s + r * r, 0);
const expectedGrad = times(X, residual, k, m, n, true);
const expectedHvp = times(X, times(X, V, m, k, n), k, m, n, true);

const osThreads = () => process.getBuiltinModule('node:fs').readdirSync('/proc/self/task').length;
for (const backend of ['wasm', 'wasm-threads'] as const) {
  setKernelBackend(backend, { threads: 2 });
  const before = osThreads();
  const r = gradAndHvp(f, W, V);
  const info = getKernelBackend();
  check(`${backend}: backend selected`, info.backend === backend && info.wasm && (backend === 'wasm' || info.wasmThreads));
  check(`${backend}: f`, Math.abs(r.value - expectedValue) <= 1e-12 * expectedValue, `${r.value} vs ${expectedValue}`);
  check(`${backend}: ∇f`, maxRelDiff(r.grad, expectedGrad) < 1e-12, `max rel diff ${maxRelDiff(r.grad, expectedGrad)}`);
  check(`${backend}: H·v`, maxRelDiff(r.hvp, expectedHvp) < 1e-12, `max rel diff ${maxRelDiff(r.hvp, expectedHvp)}`);
  if (backend === 'wasm-threads') check('wasm-threads: a worker thread started', osThreads() > before, `OS threads ${before} → ${osThreads()}`);
}
setKernelBackend('auto');

let shapeError: unknown;
try {
  gradAndHvp((x: Tensor) => x.add(tensor([1, 2], [2])).sum(), [1, 2, 3], [1, 0, 0]);
} catch (e) {
  shapeError = e;
}
check('bad input raises a typed error', shapeError instanceof ShapeError, String(shapeError));

const checks = checkGrads((x: Tensor) => x.tanh().mul(x).sum(), [0.3, -1.2], { order: 2 });
check('@dualtape/core/testing: checkGrads', checks.length > 0 && checks.every((c) => c.passed), `${checks.length} comparisons`);

// (XᵀX + I)·u = b by conjugate gradients on the engine's H·v.
const ridge = (w: Tensor) => f(w).add(w.square().sum().mul(0.5));
const op = hvpOperator(ridge, W);
const solved = cg((v) => op.applyFlat(v), expectedGrad);
const back = times(X, times(X, solved.x, m, k, n), k, m, n, true).map((q, i) => q + solved.x[i]);
check('@dualtape/curvature: cg solves (XᵀX + I)u = b', maxRelDiff(back, expectedGrad) < 1e-8, `max rel diff ${maxRelDiff(back, expectedGrad)}`);

const net = twoLayerNet({ inputs: 2, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
const inputs = [0.5, -1, 0.25, 0.75, -0.5, 0.1], targets = [1, -0.5, 0.2];
const engine = net.gradAndHvp(net.init(1), inputs, targets, net.init(2));
const reference = rPropagation(net.spec, net.init(1), inputs, targets, net.init(2));
check('@dualtape/nn: H·v agrees with the hand-derived R-propagation', maxRelDiff(engine.hvp.w1, reference.hvp.w1) < 1e-12 && maxRelDiff(engine.hvp.b2, reference.hvp.b2) < 1e-12);

const svg = await renderTraceSvg(trace((x: Tensor) => x.square().sum(), [1, 2], [1, 0]));
check('@dualtape/viz: renders a trace as SVG', svg.includes('<svg'), `${svg.length} characters`);

if (failures > 0) process.exitCode = 1;
