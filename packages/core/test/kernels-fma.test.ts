// The fused multiply-add kernels (relaxed SIMD). V8's flags are global to a process, so each case
// runs in a child Node: one started with --experimental-wasm-relaxed-simd (the documented opt-in),
// and one without it, where only setKernelBackend(…, { fma: true }) may turn the flag on.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const kernels = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/kernels');
const testing = path.resolve(kernels, '../testing/index.ts');

/** Runs `body` (an ES module body with the helpers below in scope) in a child Node; returns its last stdout line as JSON. */
function inChild(nodeFlags: readonly string[], body: string): Record<string, unknown> {
  const script = `
    import { gemm, setKernelBackend, getKernelBackend } from ${JSON.stringify(path.join(kernels, 'backend.ts'))};
    import { relaxedSimdAvailable } from ${JSON.stringify(path.join(kernels, 'relaxed-simd.ts'))};
    import { seededUniform } from ${JSON.stringify(testing)};
    const next = seededUniform(5);
    const random = (n) => Float64Array.from({ length: n }, () => 2 * next() - 1);
    // Worst |C − triple loop| over Σ|terms|·(k + 2)·2⁻⁵², for every layout and both modes: ≤ 1 is round-off.
    function worstError(backend, shapes) {
      setKernelBackend(backend, backend === 'wasm-threads' ? { threads: 2 } : {});
      let worst = 0;
      for (const [m, n, k] of shapes) for (const transA of [false, true]) for (const transB of [false, true]) for (const acc of [false, true]) {
        const A = random(m * k), B = random(k * n), C0 = random(m * n);
        const C = acc ? C0.slice() : new Float64Array(m * n).fill(NaN);
        gemm(A, transA, B, transB, C, m, n, k, acc);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let s = acc ? C0[i * n + j] : 0, t = Math.abs(s);
          for (let p = 0; p < k; p++) { const x = A[transA ? p * m + i : i * k + p] * B[transB ? j * k + p : p * n + j]; s += x; t += Math.abs(x); }
          worst = Math.max(worst, Math.abs(C[i * n + j] - s) / (Math.max(t, 1e-300) * (k + 2) * 2 ** -52));
        }
      }
      return worst;
    }
    /** One product under the given fma setting on 'wasm'. */
    function productWith(fma, A, B, m, n, k) {
      setKernelBackend('wasm', { fma });
      const C = new Float64Array(m * n);
      gemm(A, false, B, false, C, m, n, k, false);
      return C;
    }
    ${body}
  `;
  const child = spawnSync(process.execPath, [...nodeFlags, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, cwd: kernels });
  expect(child.error).toBeUndefined();
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

const SHAPES = '[[1, 1, 1], [5, 7, 3], [17, 33, 6], [70, 66, 300], [9, 130, 41]]';

describe('fused multiply-add kernels (relaxed SIMD)', () => {
  it('under node --experimental-wasm-relaxed-simd, auto fuses, every backend stays within round-off, and fma: false matches the JS kernel bit for bit', () => {
    const out = inChild(['--experimental-wasm-relaxed-simd'], `
      const info = getKernelBackend();
      const errors = Object.fromEntries(['wasm', 'wasm-threads', 'auto'].map((b) => [b, worstError(b, ${SHAPES})]));
      const [m, n, k] = [24, 20, 200];
      const A = random(m * k), B = random(k * n);
      const fused = productWith(true, A, B, m, n, k);
      const plain = productWith(false, A, B, m, n, k);
      setKernelBackend('js');
      const js = new Float64Array(m * n);
      gemm(A, false, B, false, js, m, n, k, false);
      console.log(JSON.stringify({
        relaxedSimd: info.relaxedSimd, fma: info.fma, errors,
        fusedDiffers: fused.some((x, e) => x !== plain[e]),
        plainIsJs: plain.every((x, e) => Object.is(x, js[e])),
      }));
    `);
    expect(out).toMatchObject({ relaxedSimd: true, fma: true, fusedDiffers: true, plainIsJs: true });
    for (const [backend, worst] of Object.entries(out.errors as Record<string, number>)) expect(worst, backend).toBeLessThanOrEqual(1);
  });

  it('without the flag nothing turns it on, until fma: true does so explicitly', () => {
    const out = inChild([], `
      const before = getKernelBackend();
      const plainErrors = Math.max(worstError('auto', ${SHAPES}), worstError('wasm-threads', ${SHAPES}));
      const untouched = !relaxedSimdAvailable();
      const [m, n, k] = [24, 20, 200];
      const A = random(m * k), B = random(k * n);
      const plain = productWith(false, A, B, m, n, k);
      setKernelBackend('wasm', { fma: true });
      const after = getKernelBackend();
      const fused = productWith(true, A, B, m, n, k);
      const fusedErrors = Math.max(worstError('wasm', ${SHAPES}), worstError('wasm-threads', ${SHAPES}));
      setKernelBackend('auto', { fma: 'auto' });
      console.log(JSON.stringify({
        before: [before.relaxedSimd, before.fma], untouched, after: [after.relaxedSimd, after.fma],
        autoAfter: getKernelBackend().fma, plainErrors, fusedErrors, fusedDiffers: fused.some((x, e) => x !== plain[e]),
      }));
    `);
    expect(out).toMatchObject({ before: [false, false], untouched: true, after: [true, true], autoAfter: true, fusedDiffers: true });
    expect(out.plainErrors).toBeLessThanOrEqual(1);
    expect(out.fusedErrors).toBeLessThanOrEqual(1);
  });
});
