/** Bundles the browser example into `outdir` (default examples/browser/dist); resolves to the directory. */
export function buildBrowserExample(outdir?: string): Promise<string>;
