import type { Server } from 'node:http';

export const DEFAULT_OUTDIR: string;
/** Bundles the page into `outdir` (default examples/playground/dist); resolves to the directory. */
export function buildPlayground(outdir?: string): Promise<string>;
/** Serves the files of `dir` on host:port (port 0: any free one). */
export function serveDirectory(dir: string, options?: { host?: string; port?: number }): Promise<{ server: Server; url: string }>;
