// Every example script runs as `pnpm example <name>` would run it, prints its checks and exits 0.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const runner = join(dirname(fileURLToPath(import.meta.url)), '../scripts/run-example.mjs');
const run = (...args: string[]) => spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8', timeout: 60_000 });
/**
 * `run` without blocking: the example scripts run concurrently (it.concurrent below), each a child
 * process of its own, so they keep every core busy rather than one. Same status, stdout and stderr.
 */
const runAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [runner, ...args], { timeout: 60_000 });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });

const EXPECTED: Record<string, RegExp> = {
  'scalar-derivative': /f″\(0\.7\)·v/,
  'rosenbrock-hvp': /H·v against the tridiagonal formula/,
  'custom-op': /H·v against Xᵀ diag\(1 − tanh² r\) X v/,
  'implicit-layer': /ok   H·v of the penalty \(third derivatives of the layer\)/,
  'trace-printing': /step 3\s+#2 mul/,
  'two-layer-network': /#6 {2}matmul {3}∂E\/∂w_ji = δ_j x_i \(5\.109\)/,
  'nested-transforms': /4  cos    #2 .* grad #1 · reverse sweep/,
  'third-derivative': /Halley reaches asinh 2/,
  'readme': /tanh‴\(0\.5\) = −2 sech²x/,
  'gradient-penalty': /H_L·v against \(∇L\(w \+ hv\) − ∇L\(w − hv\)\) \/ 2h/,
  'gaussian-process': /ok   exact Hessian against central differences of ∇NLL/,
  'cnn': /ok   ggnvp against Jᵀ·H_L·J·v assembled from the Jacobian and the Hessian/,
  'attention': /ok   H·v against central differences of ∇loss/,
  'compile': /ok   written with minimum and abs, the replay notices and is right/,
  'checkpoint': /ok   the same iterates: final parameters/,
  'trimmed-regression': /ok   least trimmed squares recovers it/,
  'from-jax': /ok   grad of x·stopGradient\(x\) at 3 is 3, not 6/,
  'matrix-functions': /ok   Newton on expm\(\[ω\]×\) reaches the Kabsch rotation/,
};

describe('pnpm example <name>', () => {
  it('lists the examples', () => {
    const out = run();
    expect(out.status).toBe(0);
    for (const name of Object.keys(EXPECTED)) expect(out.stdout).toContain(`  ${name}`);
  });

  it('examples/README.md has a row for each, and for nothing else', () => {
    const names = run().stdout.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim());
    expect(names.length).toBeGreaterThan(0);
    const readme = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `pnpm example ([\w-]+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...names].sort());
  });

  it('refuses an unknown name', () => {
    const out = run('no-such-example');
    expect(out.status).toBe(1);
    expect(out.stderr).toContain('unknown example "no-such-example"');
  });

  // The full PINN schedule takes minutes: the test runs its short stages (same code, same checks, no error target).
  it.concurrent('pinn --quick runs, passes its own checks and writes its plot', async ({ expect }) => {
    const dir = mkdtempSync(join(tmpdir(), 'pinn-example-'));
    try {
      const out = await runAsync('pinn', '--quick', `--svg=${join(dir, 'pinn.svg')}`);
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      expect(out.stdout).toMatch(/u_xx at the collocation points: nested grads against the hand-derived propagation/);
      expect(out.stdout).toMatch(/ok {3}H·v against central differences of the gradient/);
      expect(out.stdout).not.toContain('FAIL');
      expect(out.stdout.trimEnd().endsWith('all checks passed')).toBe(true);
      expect(readFileSync(join(dir, 'pinn.svg'), 'utf8')).toMatch(/^<svg[^]*1-20-20-1[^]*<\/svg>/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [name, pattern] of Object.entries(EXPECTED)) {
    it.concurrent(`${name} runs and passes its own checks`, async ({ expect }) => {
      const out = await runAsync(name);
      expect(out.stderr).toBe('');
      expect(out.status).toBe(0);
      expect(out.stdout).toMatch(pattern);
      expect(out.stdout).not.toContain('FAIL');
      expect(out.stdout.trimEnd().endsWith('all checks passed')).toBe(true);
    });
  }
});
