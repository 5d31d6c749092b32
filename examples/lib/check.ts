/**
 * The examples check themselves: each comparison is printed, and any mismatch makes the script
 * exit non-zero once it has printed everything.
 * @module
 */
let failures = 0;

/** Compares two numbers or two vectors to a relative tolerance and prints the outcome. */
export function check(what: string, got: number | ArrayLike<number>, want: number | ArrayLike<number>, tolerance = 1e-10): void {
  const a = typeof got === 'number' ? [got] : Array.from(got);
  const b = typeof want === 'number' ? [want] : Array.from(want);
  let worst = a.length === b.length ? 0 : Infinity;
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const scale = Math.max(1, Math.abs(b[k]));
    worst = Math.max(worst, Math.abs(a[k] - b[k]) / scale);
  }
  const ok = worst <= tolerance;
  if (!ok) failures++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}${ok ? '' : `: got ${fmt(a)}, want ${fmt(b)}`} (max rel. diff ${worst.toExponential(1)})`);
}

function fmt(xs: number[]): string {
  return xs.length === 1 ? String(xs[0]) : `[${xs.join(', ')}]`;
}

/** Call at the end: exits 1 if any check failed. */
export function finish(): void {
  if (failures > 0) {
    console.error(`\n${failures} check(s) failed`);
    process.exit(1);
  }
  console.log('\nall checks passed');
}

/** Checks that a number is at most a bound (an error against a target) and prints the outcome. */
export function checkAtMost(what: string, got: number, bound: number): void {
  const ok = got <= bound;
  if (!ok) failures++;
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}: ${got.toExponential(2)} ${ok ? '≤' : '>'} ${bound.toExponential(0)}`);
}
