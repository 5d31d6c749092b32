// Arrays for results that a kernel or loop writes whole before anything reads them.
//
// `new Float64Array(n)` zero-fills: a pass over the memory that the product or loop writing the
// result then repeats. Measured here (Node 20): 0.45 ms for 6.4 MB, 12 µs for 400 KB — about
// 1.6 ms of a 784-1024-10 gradAndHvp call, whose products alone return 21 MB. Node's
// Buffer.allocUnsafeSlow hands out the memory without that pass. Where there is no Buffer (a
// browser) the result is an ordinary zero-filled array.
//
// Callers promise to write every element first: a product with accumulate false (gemm's contract,
// tested with C filled with NaN), a fused loop that is not accumulating, a transpose or a copy that
// covers the output. Anything that adds into its result, or leaves parts of it to the zero fill,
// keeps `new Float64Array`.

/** Elements from which skipping the zero fill pays (below, allocUnsafeSlow's call costs as much). */
const UNFILLED_MIN = 8192;
/**
 * Elements above which an ordinary array is used: a Buffer holds at most 2³² bytes on Node 20 (2³¹ − 1
 * on older 64-bit Nodes), while a tensor may hold 2³¹ − 1 elements; allocUnsafeSlow threw a RangeError
 * there. At 2 GiB the zero fill costs little next to the work that writes the array.
 */
const UNFILLED_MAX = 2 ** 28;

type AllocUnsafeSlow = (bytes: number) => { readonly buffer: ArrayBuffer; readonly byteOffset: number };

const allocUnsafeSlow: AllocUnsafeSlow | undefined = (() => {
  const B = (globalThis as { Buffer?: { allocUnsafeSlow?: AllocUnsafeSlow } }).Buffer;
  return typeof B?.allocUnsafeSlow === 'function' ? B.allocUnsafeSlow.bind(B) : undefined;
})();

// Tests fill every unfilled array with NaN, at every size, so an element a caller forgot to write
// shows up in its results.
let poisoned = false;

/** @internal For tests: fill unfilled arrays with NaN (true) or not (false); returns the previous setting. */
export function poisonUnfilled(on: boolean): boolean {
  const previous = poisoned;
  poisoned = on;
  return previous;
}

/**
 * A Float64Array of `length` whose contents are unspecified: the caller must write every element
 * before any is read. Zero-filled below {@link UNFILLED_MIN} elements, above {@link UNFILLED_MAX} or
 * where the host has no Node Buffer.
 */
export function unfilled(length: number): Float64Array {
  if (poisoned) return new Float64Array(length).fill(Number.NaN);
  if (length < UNFILLED_MIN || length > UNFILLED_MAX || allocUnsafeSlow === undefined) return new Float64Array(length);
  // allocUnsafeSlow never pools: the ArrayBuffer is this array's alone and starts at offset 0.
  const bytes = allocUnsafeSlow(8 * length);
  return new Float64Array(bytes.buffer, bytes.byteOffset, length);
}
