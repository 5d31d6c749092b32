// `pnpm example <name>`: runs examples/<name>.ts with tsx, reading the workspace packages' TypeScript
// sources through the "@dualtape/source" export condition (no build needed).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..');
const names = readdirSync(examples)
  .filter((f) => f.endsWith('.ts') && !f.includes('.config.'))
  .map((f) => f.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  if (name) console.error(`unknown example "${name}"`);
  console.log(`usage: pnpm example <name>\n\nexamples:\n${names.map((n) => `  ${n}`).join('\n')}`);
  process.exit(name ? 1 : 0);
}

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const run = spawnSync(process.execPath, [tsx, '--conditions=@dualtape/source', join(examples, `${name}.ts`), ...args], {
  stdio: 'inherit',
});
if (run.error) throw run.error;
process.exit(run.status ?? 1);
