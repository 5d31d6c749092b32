/**
 * Superinstructions for a generated sweep: frequent runs of node variants fused into one case of the
 * switch, so a scalar graph that repeats a pattern (a loop body, a sum of terms) pays one dispatch per
 * run instead of one per node. Pairs are fused greedily, the most frequent adjacent pair first (byte-pair
 * encoding, on a sample of the stream), until no pair is frequent enough or the generated code would
 * grow too large for V8 to optimise the function.
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
 * Fuses runs of `symbols` (variant numbers below `weight.length`). `weight[v]` is the code size of
 * variant v; the fused cases together stay under `budget`. The runs are learnt on a sample of the stream
 * (evenly spaced windows), then the whole stream is cut into them, longest first.
 */
export function fuse(symbols: Int32Array, weight: readonly number[], budget: number): Fused {
  const cases: number[][] = weight.map((_w, v) => [v]);
  const size = weight.slice();
  let total = size.reduce((s, w) => s + w, 0);
  const sequence = sampleOf(symbols);
  let length = sequence.length;
  // A pair must recur this often in the sample to be as frequent as MIN_COUNT in the whole stream.
  const least = Math.max(2, Math.round((MIN_COUNT * length) / Math.max(symbols.length, 1)));
  let counts = new Int32Array(0);
  while (cases.length < MAX_SYMBOLS) {
    const S = cases.length;
    if (counts.length < S * S) counts = new Int32Array(Math.min(MAX_SYMBOLS, 2 * S) ** 2);
    else counts.fill(0, 0, S * S);
    for (let k = 0; k + 1 < length; k++) counts[sequence[k] * S + sequence[k + 1]]++;
    let best = -1, bestCount = least - 1;
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
  return { sequence: cut(symbols, cases, weight.length), cases };
}

/** Evenly spaced windows of a long stream, one after another (the whole of a short one). */
function sampleOf(symbols: Int32Array): Int32Array {
  if (symbols.length <= SAMPLE_WINDOWS * SAMPLE_WINDOW) return symbols.slice();
  const sample = new Int32Array(SAMPLE_WINDOWS * SAMPLE_WINDOW);
  const spacing = Math.floor(symbols.length / SAMPLE_WINDOWS);
  for (let w = 0; w < SAMPLE_WINDOWS; w++) sample.set(symbols.subarray(w * spacing, w * spacing + SAMPLE_WINDOW), w * SAMPLE_WINDOW);
  return sample;
}

/** `symbols` as cases: at each place the longest fused case that matches there, else the symbol itself. */
function cut(symbols: Int32Array, cases: ReadonlyArray<readonly number[]>, base: number): Int32Array {
  const byFirst: number[][] = Array.from({ length: base }, () => []);
  for (let c = base; c < cases.length; c++) byFirst[cases[c][0]].push(c);
  for (const list of byFirst) list.sort((x, y) => cases[y].length - cases[x].length);
  const out = new Int32Array(symbols.length);
  let w = 0;
  for (let p = 0; p < symbols.length;) {
    let chosen = symbols[p], length = 1;
    for (const c of byFirst[symbols[p]]) {
      const members = cases[c];
      if (p + members.length > symbols.length) continue;
      let k = 1;
      while (k < members.length && symbols[p + k] === members[k]) k++;
      if (k === members.length) {
        chosen = c;
        length = k;
        break;
      }
    }
    out[w++] = chosen;
    p += length;
  }
  return out.subarray(0, w);
}
