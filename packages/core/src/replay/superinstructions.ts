/**
 * Superinstructions for a generated sweep: frequent runs of node variants fused into one case of the
 * switch, so a scalar graph that repeats a pattern (a loop body, a sum of terms) pays one dispatch per
 * run instead of one per node. Pairs are fused greedily, the most frequent adjacent pair first (byte-pair
 * encoding), until no pair is frequent enough or the generated code would grow too large for V8 to
 * optimise the function.
 * @module
 */

/** A pair must occur this often (in the whole stream, estimated from the windows counted) to become a case of its own. */
const MIN_COUNT = 32;
/** Nodes per superinstruction at most. */
const MAX_LENGTH = 16;
/** Pairs are counted in this many windows of this many symbols at most. */
const SAMPLE_WINDOWS = 16, SAMPLE_WINDOW = 4096;
/** Symbols (variants and fused runs) beyond which pairs are no longer counted. */
const MAX_SYMBOLS = 1024;

/** The stream as instructions: `sequence` of case numbers, `cases[s]` the variants case s runs in order. */
export interface Fused {
  readonly sequence: Int32Array;
  readonly cases: ReadonlyArray<readonly number[]>;
}

/**
 * Fuses runs of `symbols` (variant numbers below `variants`). `weight[v]` is the code size of variant v;
 * the fused cases together stay under `budget`.
 */
export function fuse(symbols: Int32Array, weight: readonly number[], budget: number): Fused {
  const cases: number[][] = weight.map((_w, v) => [v]);
  const size = weight.slice();
  let total = size.reduce((s, w) => s + w, 0);
  const sequence = symbols.slice();
  let length = sequence.length;
  let counts = new Int32Array(0);
  while (cases.length < MAX_SYMBOLS) {
    const S = cases.length;
    if (counts.length < S * S) counts = new Int32Array(Math.min(MAX_SYMBOLS, 2 * S) ** 2);
    else counts.fill(0, 0, S * S);
    // Pairs are counted in evenly spaced windows of a long stream: enough to find what recurs.
    const windows = Math.min(SAMPLE_WINDOWS, Math.ceil(length / SAMPLE_WINDOW));
    const spacing = Math.floor(length / windows);
    for (let w = 0; w < windows; w++) {
      const end = Math.min(length - 1, w * spacing + SAMPLE_WINDOW);
      for (let k = w * spacing; k < end; k++) counts[sequence[k] * S + sequence[k + 1]]++;
    }
    let best = -1, bestCount = Math.max(1, Math.round((MIN_COUNT * Math.min(length, windows * SAMPLE_WINDOW)) / Math.max(length, 1))) - 1;
    for (let p = 0; p < S * S; p++) {
      if (counts[p] <= bestCount) continue;
      const x = (p / S) | 0, y = p % S;
      if (cases[x].length + cases[y].length > MAX_LENGTH || total + size[x] + size[y] > budget) continue;
      best = p;
      bestCount = counts[p];
    }
    if (best < 0) break;
    const x = (best / S) | 0, y = best % S;
    const id = cases.push([...cases[x], ...cases[y]]) - 1;
    size.push(size[x] + size[y]);
    total += size[x] + size[y];
    let w = 0;
    for (let r = 0; r < length;) {
      if (r + 1 < length && sequence[r] === x && sequence[r + 1] === y) {
        sequence[w++] = id;
        r += 2;
      } else sequence[w++] = sequence[r++];
    }
    length = w;
  }
  return { sequence: sequence.subarray(0, length), cases };
}
