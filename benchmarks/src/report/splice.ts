/**
 * Rewriting one section of docs/benchmarks.md, for the suites that `--only=<suite>` runs alone: the
 * rest of the file stays as the last full run wrote it.
 */
import type { Environment } from './outcome.js';

/** The line under a section's heading that says which run measured it (it may be newer than the file). */
export function measuredBy(env: Environment): string {
  return `Measured by \`${env.command}\` on ${env.date}, load average at start ${env.loadAverage}, commit ${env.commit} (this section may be newer than the rest of the file).`;
}

/**
 * `doc` with the section whose heading `isHeading` accepts (up to the next `## ` heading) replaced by
 * `lines`, or with `lines` put before `## Reproduce` when it has no such section yet.
 */
export function spliceSection(doc: string, isHeading: (line: string) => boolean, lines: readonly string[]): string {
  const all = doc.split('\n');
  const first = all.findIndex(isHeading);
  if (first === -1) {
    const reproduce = all.findIndex((l) => l.startsWith('## Reproduce'));
    const at = reproduce === -1 ? all.length : reproduce;
    return [...all.slice(0, at), ...lines, ...all.slice(at)].join('\n');
  }
  let end = first + 1;
  while (end < all.length && !all[end].startsWith('## ')) end++;
  return [...all.slice(0, first), ...lines, ...all.slice(end)].join('\n');
}
