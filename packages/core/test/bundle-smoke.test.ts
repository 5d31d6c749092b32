// A program that uses sparseHessian, bundled by esbuild as a user's bundler would bundle the package
// (core's package.json says "sideEffects": false), builds without warnings and runs: the rules that
// op modules register as they load are all there when sparseHessian classifies them, so the bundled
// result equals the dense Hessian computed here from the sources.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { hessian, type Tensor } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// A chain (tridiagonal Hessian) plus an elementwise term: the program below and this check share it.
const chain = (x: Tensor) => x.slice(1).sub(x.slice(0, -1).square()).square().sum().add(x.sin().sum());
const program = `
import { sparseHessian } from './src/index.js';
const chain = ${chain.toString()};
const S = sparseHessian(chain, [0.3, -0.5, 0.8, 1.1, -0.2]);
console.log(JSON.stringify({ n: S.n, colors: S.colors, rows: [...S.rows], cols: [...S.cols], values: [...S.values] }));
`;

describe('an esbuild bundle of a program using sparseHessian', () => {
  it('builds with no warning and gives the dense Hessian\'s nonzeros', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dualtape-bundle-'));
    try {
      const outfile = join(dir, 'program.mjs');
      const result = await build({
        stdin: { contents: program, resolveDir: packageDir, loader: 'ts' },
        bundle: true, format: 'esm', platform: 'node', target: 'es2022', outfile, logLevel: 'silent',
      });
      expect(result.warnings.map((w) => w.text)).toEqual([]);
      const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const S = JSON.parse(run.stdout) as { n: number; colors: number; rows: number[]; cols: number[]; values: number[] };
      const dense = hessian(chain, [0.3, -0.5, 0.8, 1.1, -0.2]);
      const n = 5;
      const fromSparse = new Float64Array(n * n);
      S.rows.forEach((r, k) => (fromSparse[r * n + S.cols[k]] = S.values[k]));
      expect(S.n).toBe(n);
      expect(S.colors).toBeLessThanOrEqual(3); // tridiagonal
      for (let k = 0; k < n * n; k++) expect(fromSparse[k]).toBeCloseTo(dense[k], 13);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
