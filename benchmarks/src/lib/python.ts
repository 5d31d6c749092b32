/**
 * Finding a Python that can run JAX CPU for `pnpm bench`: `<repository>/.venv/bin/python` first
 * (the documented set-up: `python3 -m venv .venv && .venv/bin/pip install jax scipy`), then
 * `python3` on the PATH. A candidate qualifies when `bench.py --versions` (which imports jax)
 * succeeds; when none does, the report says why the JAX CPU column is empty.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { JaxCpuSetup } from './protocol.js';

export const JAX_INSTALL_HINT = 'python3 -m venv .venv && .venv/bin/pip install jax scipy';

/** The last non-empty line of a process's error output, e.g. `ModuleNotFoundError: No module named 'jax'`. */
function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => l.trim() !== '').pop() ?? '';
}

export function findJaxCpu(rootDir: string, benchScript: string): JaxCpuSetup {
  const venv = path.join(rootDir, '.venv', 'bin', 'python');
  const candidates = [...(existsSync(venv) ? [venv] : []), 'python3'];
  const failures: string[] = [];
  for (const python of candidates) {
    const r = spawnSync(python, [benchScript, '--versions'], { encoding: 'utf8', timeout: 120_000 });
    const shown = python === venv ? path.relative(rootDir, venv) : python;
    if (r.error) {
      failures.push(`${shown}: ${r.error.message}`);
      continue;
    }
    if (r.status !== 0) {
      failures.push(`${shown}: ${lastLine(r.stderr) || `exited with code ${r.status}`}`);
      continue;
    }
    try {
      return { available: true, python, versions: JSON.parse(r.stdout) as Record<string, string> };
    } catch {
      failures.push(`${shown}: printed no versions (${lastLine(r.stdout)})`);
    }
  }
  return { available: false, why: `no Python here can import jax (${failures.join('; ')})` };
}
