/**
 * The k-lane sweeps over scalar nodes, generated from the rules. Called once per direction, a scalar
 * rule costs a dispatch, lane reads through method calls and its arithmetic, k times over. Instead,
 * each rule is run once on the *symbolic* algebra of the compiled replay (replay/symbolic.ts), where a
 * value is the text of an expression, so it prints its own arithmetic for one node and one direction j: `barDots[aK + j] += tz(bars[i],
 * dots[bK + j])`. The snippet of each (op, sweep, which inputs are active) becomes a case of one
 * generated loop over the tape whose body loops over the k directions — the node is dispatched once,
 * and its values and adjoint (shared by every direction) are read next to each lane's arithmetic.
 * A rule that cannot be traced (tensors, op data, a structural method) runs as itself in the default
 * case (tangent-lanes.ts), so this only ever speeds up what it covers and never changes a result.
 *
 * (The compiled replay, replay/scalar-sweeps.ts, generates its sweeps from the same traces.)
 * @module
 */
import { AUX_MARK, traceRule as traceRulePart, type TracedFn } from './replay/symbolic.js';
import { CONSTANT, LEAF, ruleOf, type OpRule, type Tape } from './tape.js';

/** Which sweep: the tangents forward, or the R-adjoints backward. */
export type LanePass = 'tangent' | 'reverse';

/** A rule's part traced once (replay/symbolic.ts) and printed for direction j of k, or null. */
interface Snippet {
  readonly code: string;
  readonly fns: readonly TracedFn[];
}

/** Values and the node's adjoint, shared by every direction: read once per node (SHARED_READS). */
const SHARED: Record<string, string> = { 'vals[$a]': '$va', 'vals[$b]': '$vb', 'vals[$i]': '$vi', 'bars[$i]': '$gi' };

/**
 * One node's rule, printed for direction j: the tangent part (forward) or the R{ȳ} part (reverse) as
 * the compiled replay's tracer prints it, with each lane placed in direction j of the k-wide rows
 * (`dots[aK + j]`), the shared values and adjoint as locals, and a tensor input's lanes (a parameter
 * read with `at`) as that direction's arrays `TD[j]`, `TB[j]`. Null when the part writes what a lane
 * sweep does not (values, ȳ) or reads a tensor input's values.
 */
function traceRule(rule: OpRule, pass: LanePass, aActive: boolean, bActive: boolean, hasB: boolean, aux: number, aTensor: boolean): Snippet | null {
  const traced = traceRulePart(rule, pass === 'tangent' ? 'tangent' : 'barDot', aActive, bActive, hasB, aux, aTensor);
  if (traced === null) return null;
  const lines: string[] = [];
  for (const st of traced.statements) {
    if (st.expr.includes('TA.')) return null;
    const expr = st.expr
      .replace(/\b(?:vals\[\$[abi]\]|bars\[\$i\])/g, (read) => SHARED[read] ?? read)
      .replace(/\b(dots|barDots)\[\$([abi])\]/g, (_m, lane: string, slot: string) => `${lane}[${slot}K + j]`)
      .replace(/TDOT\[aux\[\$i\]\]/g, '(TD[j] === null ? 0 : TD[j][aux[i]])')
      .replace(/aux\[\$i\]/g, 'aux[i]');
    if (/\$[abi]\b|\b(?:vals|bars)\[|TDOT/.test(expr)) return null;
    const node = st.node.slice(1);
    if (pass === 'tangent' && st.lane === 'dots' && st.op === '=') lines.push(`dots[${node}K + j] = ${expr};`);
    else if (pass === 'reverse' && st.lane === 'barDots' && st.op === '+=' && !(aTensor && node === 'a')) lines.push(`barDots[${node}K + j] += ${expr};`);
    else if (pass === 'reverse' && st.lane === 'tensorBarDot' && st.index === `aux[$i]`) {
      lines.push(`{ const w = ${expr}; if (w !== 0) (TB[j] ?? laneBlock(TB, size, j))[aux[i]] += w; }`);
    } else return null;
  }
  return { code: lines.join(' '), fns: traced.fns };
}

const UNSEEN = -3;

/** What the generator asks of a rule, by op code (rule objects differ in shape: reading them per node is slow). */
const KNOWN = 1, PER_DIRECTION = 2, AUX_IS_DATA = 4;
let ruleFlags = new Uint8Array(256);
function flagsOf(code: number): number {
  if (code >= ruleFlags.length) {
    const grown = new Uint8Array(2 * code);
    grown.set(ruleFlags);
    ruleFlags = grown;
  }
  let f = ruleFlags[code];
  if (f === 0) {
    const rule = ruleOf(code);
    f = ruleFlags[code] = KNOWN | (rule.perDirection ? PER_DIRECTION : 0) | (rule.auxIsData ? AUX_IS_DATA : 0);
  }
  return f;
}
/** Room for the parameter-free variants of op codes below ~2700, reused by every generation (single-threaded). */
const byVariant = new Int32Array(1 << 16);

/** Snippets by variant, kept across calls: a rule is traced once per variant per process. */
const snippets = new Map<string, Snippet | null>();
const loops = new Map<string, GeneratedLoop>();
const MAX_LOOPS = 200;
let canGenerate = true;

type GeneratedLoop = (
  vals: Float64Array, bars: Float64Array, dots: Float64Array, barDots: Float64Array, in0: Int32Array, in1: Int32Array,
  aux: Float64Array, slot: Int32Array, T: unknown[], TD: unknown[], TB: unknown[], variant: Int32Array,
  n: number, generic: (i: number) => void, tz: (u: number, w: number) => number, F: unknown[],
  laneBlock: (lanes: Array<Float64Array | null>, size: number, j: number) => Float64Array,
) => void;

/**
 * The numbers algebra's structural-zero product: an exact zero factor gives 0, even against ±∞ or
 * NaN. One function for every loop, so the generated code's calls to it stay inlined (the 0·∞ count
 * that strict mode reads is not kept: strict mode sweeps one direction at a time, transforms.ts).
 */
function tz(u: number, w: number): number {
  return u === 0 || w === 0 ? 0 : u * w + 0;
}

/**
 * Turns code generation off (as a Content-Security-Policy without 'unsafe-eval' would) or back on,
 * so the tests can run the rules' own sweeps against the generated ones. @internal
 */
export function allowLaneCodegen(allowed: boolean): void {
  canGenerate = allowed;
}

/**
 * Lane j of a tensor's R-adjoint, allocated with every other missing lane as views of one array,
 * staggered by a cache line: k arrays allocated apart start at the same offset within a page, so
 * the same element of each — what `at` writes for k directions — contends for the same cache set.
 */
function laneBlock(lanes: Array<Float64Array | null>, size: number, j: number): Float64Array {
  const stride = size + 8;
  const block = new Float64Array(stride * lanes.length);
  for (let m = 0; m < lanes.length; m++) lanes[m] ??= block.subarray(m * stride, m * stride + size);
  return lanes[j]!;
}

/** What a generated sweep reads: the tape's shared lanes and the k-wide ones. */
export interface LaneArrays {
  readonly dots: Float64Array;
  readonly barDots: Float64Array;
  readonly tensorDots: unknown[];
  readonly tensorBarDots: unknown[];
}

/** The two generated sweeps of a tape with k lanes. */
export interface LaneSweeps {
  readonly tangent: () => void;
  readonly reverse: () => void;
}

/**
 * The tangent and reverse sweeps over `tape` with k lanes, generated: scalar nodes whose rule traces
 * run as straight-line code looped over the directions; every other active node calls
 * `genericTangent(i)` / `genericBackward(i)`. Null where code cannot be generated (a
 * Content-Security-Policy without 'unsafe-eval').
 */
export function generateLaneSweeps(
  tape: Tape, k: number, lanes: LaneArrays, genericTangent: (i: number) => void, genericBackward: (i: number) => void, reaching: Uint8Array,
): LaneSweeps | null {
  if (!canGenerate) return null;
  const { variant, variants } = classify(tape, reaching);
  const tangent = generate(tape, 'tangent', k, lanes, variant, variants, genericTangent);
  const reverse = tangent && generate(tape, 'reverse', k, lanes, variant, variants, genericBackward);
  return tangent && reverse ? { tangent, reverse } : null;
}

/** A kind of node the generated code has one case for: its op, inputs' activity and parameter. */
interface Variant {
  readonly code: number;
  readonly aActive: boolean;
  readonly bActive: boolean;
  readonly hasB: boolean;
  readonly aTensor: boolean;
  readonly p: number;
}

/**
 * Each node's variant (an index into `variants`), −2 for a node no sweep visits (inactive, a leaf,
 * or one the output does not depend on: `reaching` is 0) and −1 for one whose rule runs as itself.
 * One pass, shared by both sweeps.
 */
function classify(tape: Tape, reaching: Uint8Array): { variant: Int32Array; variants: Variant[] } {
  const n = tape.length;
  const variant = new Int32Array(n);
  const variants: Variant[] = [];
  // Parameter-free variants by number (an array: a Map lookup per node costs what the sweep saves).
  const byNumber = byVariant.fill(UNSEEN);
  const byKey = new Map<string, number>();
  const { op, in0, in1, slot, active, aux } = tape;
  const many = tape.manyInputs.size > 0;
  for (let i = 0; i < n; i++) {
    const code = op[i];
    if (active[i] !== 1 || reaching[i] !== 1 || code === LEAF || code === CONSTANT) {
      variant[i] = -2;
      continue;
    }
    const a = in0[i], b = in1[i];
    const known = code < ruleFlags.length ? ruleFlags[code] : 0;
    const flags = known !== 0 ? known : flagsOf(code);
    const aTensor = a >= 0 && slot[a] >= 0;
    const traceable = slot[i] < 0 && a >= 0 && (flags & PER_DIRECTION) === 0 && (!aTensor || ((flags & AUX_IS_DATA) !== 0 && b < 0)) &&
      (b < 0 || slot[b] < 0) && !(many && tape.manyInputs.has(i));
    if (!traceable) {
      variant[i] = -1;
      continue;
    }
    const p = (flags & AUX_IS_DATA) !== 0 ? AUX_MARK : aux[i];
    const shape = ((code * 2 + active[a]) * 3 + (b >= 0 ? active[b] : 2)) * 2 + (aTensor ? 1 : 0);
    const numeric = (p === 0 || p === AUX_MARK) && shape * 2 + 1 < byNumber.length ? shape * 2 + (p === 0 ? 0 : 1) : -1;
    // (A string key only for a parameter: building one per node would cost what the sweep saves.)
    let v = numeric >= 0 ? byNumber[numeric] : byKey.get(`${shape} ${p}`) ?? UNSEEN;
    if (v === UNSEEN) {
      v = variants.push({ code, aActive: active[a] === 1, bActive: b >= 0 && active[b] === 1, hasB: b >= 0, aTensor, p }) - 1;
      if (numeric >= 0) byNumber[numeric] = v;
      else byKey.set(`${shape} ${p}`, v);
    }
    variant[i] = v;
  }
  return { variant, variants };
}

/** Values and adjoints shared by every direction, read once per node before the loop over directions. */
const SHARED_READS: ReadonlyArray<[string, string]> = [['$va', 'vals[a]'], ['$vb', 'vals[b]'], ['$vi', 'vals[i]'], ['$gi', 'bars[i]']];

function generate(
  tape: Tape, pass: LanePass, k: number, lanes: LaneArrays, variant: Int32Array, variants: readonly Variant[], generic: (i: number) => void,
): (() => void) | null {
  const fns: Array<(u: number, v: number) => number> = [];
  const cases: string[] = [];
  variants.forEach((v, index) => {
    const key = `${pass} ${v.code} ${v.aActive} ${v.bActive} ${v.hasB} ${v.aTensor} ${v.p}`;
    let snippet = snippets.get(key);
    if (snippet === undefined) {
      snippet = traceRule(ruleOf(v.code), pass, v.aActive, v.bActive, v.hasB, v.p, v.aTensor);
      snippets.set(key, snippet);
    }
    if (snippet === null) return;
    const s = snippet;
    // Renumber the snippet's functions into this loop's table.
    const body = s.code.replace(/F\[(\d+)\]/g, (_m, j: string) => {
      const f = s.fns[Number(j)];
      let at = fns.indexOf(f);
      if (at < 0) at = fns.push(f) - 1;
      return `F[${at}]`;
    });
    let prologue = SHARED_READS.filter(([name]) => body.includes(name)).map(([name, read]) => ` const ${name} = ${read};`).join('');
    if (body.includes('TD[j]')) prologue += ' const TD = TDs[slot[a]];';
    if (body.includes('TB[j]')) prologue += ' const TB = TBs[slot[a]], size = T[slot[a]].size;';
    // K is a literal: the loop over directions has a known trip count.
    cases.push(`    case ${index}: {${prologue} for (let j = 0; j < ${k}; j++) { ${body} } break; }`);
  });
  const reverse = pass === 'reverse';
  const source = `for (let i = ${reverse ? 'n - 1' : '0'}; ${reverse ? 'i >= 0' : 'i < n'}; ${reverse ? 'i--' : 'i++'}) {
  const v = variant[i];
  if (v === -2) continue;
  const a = in0[i], b = in1[i], aK = a * ${k}, bK = b * ${k}, iK = i * ${k};
  switch (v) {
${cases.join('\n')}
    default: generic(i);
  }
}`;
  let loop = loops.get(source);
  if (!loop) {
    try {
      loop = new Function('vals', 'bars', 'dots', 'barDots', 'in0', 'in1', 'aux', 'slot', 'T', 'TDs', 'TBs', 'variant', 'n', 'generic', 'tz', 'F', 'laneBlock', source) as GeneratedLoop;
    } catch {
      canGenerate = false;
      return null;
    }
    if (loops.size >= MAX_LOOPS) loops.clear();
    loops.set(source, loop);
  }
  const generated = loop;
  return () => generated(
    tape.vals, tape.bars, lanes.dots, lanes.barDots, tape.in0, tape.in1, tape.aux, tape.slot, tape.tensors,
    lanes.tensorDots, lanes.tensorBarDots, variant, tape.length, generic, tz, fns, laneBlock,
  );
}
