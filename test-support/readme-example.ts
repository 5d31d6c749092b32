// Keeps each package README's "Ten lines" example runnable: the example is also a file,
// test/readme-example.ts, whose lines after its one-line header must equal the README's code block,
// and the package's test/readme.test.ts runs that file and checks what it prints.
import { readFileSync } from 'node:fs';
import { vi } from 'vitest';

/** The ```ts block under the README's "## Ten lines" heading. */
export function readmeExample(readme: URL): string {
  const text = readFileSync(readme, 'utf8');
  const section = text.split(/^## /m).find((s) => s.startsWith('Ten lines'));
  const block = section && /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`${readme.pathname}: no \`\`\`ts block under "## Ten lines"`);
  return block[1];
}

/** The example file without its first line (the header comment that points at the README). */
export function exampleBody(file: URL): string {
  const text = readFileSync(file, 'utf8');
  return text.slice(text.indexOf('\n') + 1);
}

/** Runs `load` (an import of the example) and returns the arguments of every console.log call. */
export async function capturingLogs(load: () => Promise<unknown>): Promise<unknown[][]> {
  const logs: unknown[][] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(args);
  });
  try {
    await load();
  } finally {
    spy.mockRestore();
  }
  return logs;
}
