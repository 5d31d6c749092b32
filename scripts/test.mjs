// `pnpm test` after build:wasm: the type check (tsc -b) runs while vitest runs the tests, instead of
// before them. Neither reads what the other writes (the root tsconfig emits no JavaScript), and
// vitest keeps one core busy on a two-core machine (one test worker), so the type check takes the
// other. Exits non-zero if either fails; tsc's messages are printed after vitest's summary.
// Arguments go to vitest (`pnpm test -- --project @dualtape/nn`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tscBin = require.resolve('typescript/bin/tsc');
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');

/** Runs `node script ...args`; resolves to its exit code and, unless `inherit`, what it printed. */
function run(script, args, inherit) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    let output = '';
    if (!inherit) {
      child.stdout.setEncoding('utf8').on('data', (s) => (output += s));
      child.stderr.setEncoding('utf8').on('data', (s) => (output += s));
    }
    child.on('error', (error) => done({ code: 1, output: `${output}${String(error)}\n` }));
    child.on('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const typecheck = run(tscBin, ['-b', 'tsconfig.json'], false);
const tests = await run(vitestBin, ['run', ...process.argv.slice(2)], true);
const types = await typecheck;
if (types.code !== 0) {
  process.stderr.write(`\ntsc -b tsconfig.json failed (exit code ${types.code}):\n${types.output}`);
}
process.exit(tests.code !== 0 ? tests.code : types.code);
