// Data movement shared by the structural ops' adjoint rules: whole-array accumulation (reshape,
// transpose) and copying a range along one axis between tensors viewed as [outer, n, inner] (slice
// forward and concat backward, and their adjoints the other way round).

/**
 * For each of `outer` rows, copies `len·inner` contiguous numbers from `src` (axis length `srcN`,
 * starting at axis index `srcAt`) to `dst` (axis length `dstN`, at `dstAt`), adding if `add`.
 */
export function copyAlongAxis(
  src: Float64Array, srcN: number, srcAt: number,
  dst: Float64Array, dstN: number, dstAt: number,
  len: number, outer: number, inner: number, add: boolean,
): void {
  const run = len * inner;
  for (let o = 0; o < outer; o++) {
    const s = (o * srcN + srcAt) * inner;
    const d = (o * dstN + dstAt) * inner;
    if (add) for (let k = 0; k < run; k++) dst[d + k] += src[s + k];
    else for (let k = 0; k < run; k++) dst[d + k] = src[s + k];
  }
}

/** target += source, elementwise (same length). */
export function addInto(target: Float64Array, source: Float64Array): void {
  for (let k = 0; k < target.length; k++) target[k] += source[k];
}
