// Builds the playground into dist/ (esbuild bundles the page, src/main.ts, and the Web Worker that runs
// the user's code, src/worker.ts, with the TypeScript sources of the workspace packages, through the
// "@dualtape/source" export condition) and serves a directory.
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUTDIR = join(here, 'dist');

/** Bundles the page into `outdir`; resolves to the directory. */
export async function buildPlayground(outdir = DEFAULT_OUTDIR) {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { app: join(here, 'src/main.ts'), worker: join(here, 'src/worker.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@dualtape/source'],
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'style.css']) await copyFile(join(here, 'static', file), join(outdir, file));
  return outdir;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the files of `dir` on host:port (port 0: any free one). Resolves to { server, url }; rejects
 * with Node's error (code EADDRINUSE when the port is taken).
 */
export function serveDirectory(dir, { host = '127.0.0.1', port = 0 } = {}) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
      if (!(await stat(file)).isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      resolvePromise({ server, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/` });
    });
  });
}
