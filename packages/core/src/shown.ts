// How a caller's value reads in an error message. Never throws: JSON.stringify would, on a BigInt
// or on a node (whose tape refers back to it), and turn the typed error into an internal TypeError.
import { describeValue } from './options.js';

/** `3`, `'same'`, `[2,-1]` (short arrays element by element), else what describeValue says. */
export function shown(v: unknown, depth = 0): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v) && v.length <= 8 && depth < 2) return `[${v.map((e) => shown(e, depth + 1)).join(',')}]`;
  return describeValue(v);
}
