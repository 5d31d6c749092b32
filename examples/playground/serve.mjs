// `pnpm playground`: builds the page, then serves it on localhost (port $PORT, or 5173).
import { buildPlayground, serveDirectory } from './build.mjs';

const port = Number(process.env.PORT ?? 5173);
const dir = await buildPlayground();
const { url } = await serveDirectory(dir, { host: 'localhost', port });
console.log(`dualtape playground: ${url}  (Ctrl+C to stop)`);
