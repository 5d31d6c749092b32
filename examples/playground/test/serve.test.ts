// `pnpm playground` on a port that is taken, or with a PORT that is not a port: a clear message
// saying to set PORT, exit code 1, no stack trace.
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const serve = join(dirname(fileURLToPath(import.meta.url)), '../serve.mjs');
const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, [serve], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ...env } });

let taken: Server;
let port: number;

beforeAll(async () => {
  taken = createServer();
  // On "localhost", as the playground listens.
  await new Promise<void>((done) => taken.listen(0, 'localhost', done));
  port = (taken.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((done) => taken.close(done));
});

describe('pnpm playground', () => {
  it('on a taken port says so and says to set PORT', () => {
    const out = run({ PORT: String(port) });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain(`port ${port} is already in use`);
    expect(out.stderr).toMatch(/PORT=\d+ pnpm playground/);
    expect(out.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  });

  it('refuses a PORT that is not a port number', () => {
    for (const PORT of ['abc', '70000', '-1']) {
      const out = run({ PORT });
      expect(out.status).toBe(1);
      expect(out.stderr).toContain(`PORT=${PORT} is not a port number`);
    }
  });
});
