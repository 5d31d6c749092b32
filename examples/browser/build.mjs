// The browser example: bundles the page (main.ts) and its worker (worker.ts) with esbuild into
// dist/, next to index.html. Run directly (`pnpm --filter @dualtape/examples browser`), it also
// serves them on localhost (port $PORT, or 5174).
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles the example into `outdir` (default examples/browser/dist); resolves to the directory. */
export async function buildBrowserExample(outdir = join(here, 'dist')) {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { main: join(here, 'main.ts'), worker: join(here, 'worker.ts') },
    outdir,
    bundle: true,
    format: 'esm', // module scripts: the page uses top-level await, the worker is a module worker
    platform: 'browser',
    target: 'es2022',
    // Inside this monorepo the packages are read from their TypeScript sources; an installed
    // @dualtape/core needs no condition (its package.json points at dist/).
    conditions: ['@dualtape/source'],
    sourcemap: true,
    logLevel: 'warning',
  });
  await copyFile(join(here, 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { serveDirectory } = await import('../playground/build.mjs');
  const port = Number(process.env.PORT ?? 5174);
  const { url } = await serveDirectory(await buildBrowserExample(), { host: 'localhost', port });
  console.log(`dualtape in the browser: ${url}  (Ctrl+C to stop)`);
}
