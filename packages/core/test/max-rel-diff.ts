// The largest entrywise difference of two arrays, relative to the largest magnitude in either
// (absolute when both are all zeros): the tolerance measure of the kernel and product tests.

export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
