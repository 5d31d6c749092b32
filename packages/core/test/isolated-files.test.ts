// Keeps test/isolated-files.ts complete: the files that share one module graph (vitest.config.ts)
// must not set the engine's global state nor draw their inputs from a shared helper's seeded stream;
// a file that does belongs in ISOLATED_FILES, which runs each in a fresh graph.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ISOLATED_FILES } from './isolated-files.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const self = 'test/isolated-files.test.ts';

function testFiles(dir: string): string[] {
  return readdirSync(join(packageRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** What makes a file depend on module state another file could change or consume first. */
const NEEDS_ISOLATION: readonly [string, RegExp][] = [
  ['a global kernel or code-generation setting', /\b(setKernelBackend|initKernels|setMemoryLimit|setFmaChoice|setCompiledModule|enableRelaxedSimd|poisonUnfilled|allowLaneCodegen|allowFusedCodegen|allowLoopCopies|resetSplitEstimate|disposeThreadPool)\b/],
  ['the kernels\' counters, workers or memory', /src\/kernels\/(backend|threads|wasm)\.js|src\/algebra\/(wasm-loops|unfilled)\.js/],
  ['op-tables/cases.ts\'s seeded stream', /op-tables\//],
  ['autograd-check.ts\'s cached output weights', /autograd-check\.js/],
];

describe('test/isolated-files.ts', () => {
  const all = testFiles('test');
  const isolated = new Set<string>(ISOLATED_FILES);

  it('lists only test files that exist', () => {
    expect(ISOLATED_FILES.filter((file) => !all.includes(file))).toEqual([]);
  });

  it('lists every file that sets global state or draws from a shared stream', () => {
    const missing: string[] = [];
    for (const file of all) {
      if (isolated.has(file) || file === self) continue;
      const text = readFileSync(join(packageRoot, file), 'utf8');
      for (const [why, pattern] of NEEDS_ISOLATION) if (pattern.test(text)) missing.push(`${file}: ${why}`);
    }
    expect(missing).toEqual([]);
  });
});
