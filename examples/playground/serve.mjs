// `pnpm playground`: serves the page on localhost (port $PORT, or 5173), then builds it.
import { buildPlayground, DEFAULT_OUTDIR, serveDirectory } from './build.mjs';

const DEFAULT_PORT = 5173;
const requested = process.env.PORT ?? String(DEFAULT_PORT);
const port = Number(requested);
if (!/^\d+$/.test(requested.trim()) || port > 65535) {
  console.error(`pnpm playground: PORT=${requested} is not a port number; set PORT to a number from 0 to 65535, e.g. PORT=5174 pnpm playground`);
  process.exit(1);
}

let url;
try {
  // Listen first: a taken port is reported at once, before the build.
  ({ url } = await serveDirectory(DEFAULT_OUTDIR, { host: 'localhost', port }));
} catch (error) {
  const code = error && typeof error === 'object' ? error.code : undefined;
  if (code === 'EADDRINUSE') {
    console.error(`pnpm playground: port ${port} is already in use (another playground or dev server?). ` +
      `Stop it, or choose another port with PORT, e.g. PORT=${port === DEFAULT_PORT ? DEFAULT_PORT + 1 : DEFAULT_PORT} pnpm playground`);
  } else if (code === 'EACCES') {
    console.error(`pnpm playground: no permission to listen on port ${port}; choose a port above 1023 with PORT, e.g. PORT=${DEFAULT_PORT} pnpm playground`);
  } else {
    console.error(`pnpm playground: cannot listen on localhost:${port}: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
}
await buildPlayground();
console.log(`dualtape playground: ${url}  (Ctrl+C to stop)`);
