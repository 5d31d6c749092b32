/**
 * The compiled replay's sweeps over scalar nodes, generated from the rules themselves. Each rule part
 * traced on the symbolic algebra (symbolic.ts) — one per (op, part, which inputs are active, op
 * parameter) — becomes straight-line code, and a sweep is one generated loop over an instruction
 * stream: the nodes that do work in that sweep, in sweep order, each as its variant and the node and
 * input indices it needs, packed in one Int32Array (an index that follows from the node before — the
 * next node, a chained input — is part of the variant's symbol instead). Frequent runs of symbols are
 * fused into superinstructions (superinstructions.ts), so the dispatch is paid once per run, not once
 * per node. A node that cannot be traced (tensors, op data, a structural method) runs as its rule in
 * the stream, so the fast path covers what it can and never changes a result.
 *
 * With `directions` ≥ 1 a sweep carries that many tangent lanes of their own: the value and adjoint
 * parts run once per node, the tangent and R-adjoint parts once per direction, over lanes laid out
 * node-major (`dots[i·k + j]`). Such a sweep needs every node traced; where one is not, there is none.
 * Its reverse sweep zeroes each node's R-adjoint lanes once pushed, so they start at zero for the next
 * sweep except at the leaves, which the caller reads and zeroes.
 * @module
 */
import { CONSTANT, LEAF, ruleOf, type Tape } from '../tape.js';
import { fuse } from './superinstructions.js';
import { AUX_MARK, traceRule, type Part, type Statement, type Traced, type TracedFn } from './symbolic.js';

/** Which lanes a pass computes. */
export type Pass = 'forward' | 'forwardTangent' | 'tangent' | 'reverseBar' | 'reverseBarDot' | 'reverseBoth';

/**
 * The k-wide tangent lanes of a sweep over several directions (node-major: node i, direction j at
 * i·k + j). A leaf tensor's element e is read from the directions and its R-adjoint added to the
 * products where they lie, as rows of `stride` numbers: direction j's at `rows[rowsFirst + j·stride +
 * offsets[slot] + e]`, its product's at `out[outFirst + j·stride + offsets[slot] + e]`.
 */
export interface DirectionLanes {
  readonly dots: Float64Array;
  readonly barDots: Float64Array;
  readonly stride: number;
  /** Where each leaf tensor starts in a row, by slot. */
  readonly offsets: Int32Array;
  rows: Float64Array;
  rowsFirst: number;
  out: Float64Array;
  outFirst: number;
}

/** One pass over a tape, generated. */
export interface GeneratedPass {
  /** Runs the pass; a pass over several directions takes their lanes. */
  run(tape: Tape, lanes?: DirectionLanes): void;
}

/** The parts a pass runs at a node (bit per part), by whether the node is active. */
const PARTS: Record<Pass, readonly [inactive: number, active: number]> = {
  forward: [1, 1],
  forwardTangent: [1, 1 | 2],
  tangent: [0, 2],
  reverseBar: [0, 4],
  reverseBarDot: [0, 8],
  reverseBoth: [0, 4 | 8],
};
const PART_NAMES: readonly Part[] = ['primal', 'tangent', 'bar', 'barDot'];

/** A traced part, named. */
type NamedPart = Traced & { readonly part: Part };

/** A variant: the traced parts of one (op, parts, activity, parameter), or null (the rule runs itself). */
type Variant = readonly NamedPart[] | null;

const variantCache = new Map<number, Variant>();

const UNSEEN = -3;
/** Room for the variants of op codes below ~1300 found by index (others go through the map). */
const BY_SHAPE = 2 ** 19;

/** Small numbers for the op parameters seen, so a variant's key stays a number. */
const auxIds = new Map<number, number>([[0, 0], [AUX_MARK, 1]]);
function auxId(aux: number): number {
  let id = auxIds.get(aux);
  if (id === undefined) {
    if (auxIds.size >= 2 ** 20) auxIds.clear(), variantCache.clear(), auxIds.set(0, 0).set(AUX_MARK, 1);
    auxIds.set(aux, (id = auxIds.size));
  }
  return id;
}

const functionCache = new Map<string, (...args: unknown[]) => void>();

/** Fields per node at most in the instruction stream: node, first input, second input. */
const FIELDS = 3;
/** Symbol bits: the node is the one after the last (before it, in reverse); the first input is node − 1. */
const IMPLICIT_I = 1, IMPLICIT_A = 2;
/** `last` before the first node: no node follows it. */
const NO_NODE = -10;
/**
 * Characters of generated code the superinstructions may add: V8 stops optimising a function whose
 * bytecode passes ~60 KB, and an unoptimised sweep is several times slower than the fusing gains.
 */
const CODE_BUDGET = 40_000;
/** Characters of a sweep over lanes beyond which the caller goes one direction at a time instead. */
const MAX_LANES_SOURCE = 150_000;

/**
 * The pass `pass` over the scalar nodes of `tape`, generated: over the tape's own lanes, or, with
 * `directions` ≥ 1, over that many tangent lanes of their own ({@link DirectionLanes}). Null when code
 * cannot be generated here (a Content-Security-Policy without 'unsafe-eval'), or, over lanes of their
 * own, when a node cannot be traced.
 */
export function generatePass(tape: Tape, pass: Pass, directions = 0): GeneratedPass | null {
  const n = tape.length;
  const reverse = pass.startsWith('reverse');
  const lanes = directions > 0;
  const many = tape.manyInputs.size > 0;
  const [inactiveParts, activeParts] = PARTS[pass];
  // Variants of this pass, by number; -1 (GENERIC) is a node its rule runs.
  const variants: Variant[] = [];
  const variantOf = new Map<number, number>();
  const byShape = new Int32Array(BY_SHAPE).fill(UNSEEN);
  const symbols = new Int32Array(n);
  const fields = new Int32Array(n * FIELDS);
  let count = 0;
  let genericId = -1;
  const auxIsData: number[] = [];
  for (let step = 0; step < n; step++) {
    const i = reverse ? n - 1 - step : step;
    const code = tape.op[i];
    if (code === LEAF || code === CONSTANT) continue;
    const parts = tape.active[i] === 1 ? activeParts : inactiveParts;
    if (parts === 0) continue;
    const a = tape.in0[i], b = tape.in1[i];
    // Whether the op's parameter is data, by op code: reading it off the rule objects (each of its own
    // shape) at every node would cost more than the rest of this loop.
    let dataAux = auxIsData[code];
    if (dataAux === undefined) dataAux = auxIsData[code] = ruleOf(code).auxIsData === true ? 1 : 0;
    // Scalar nodes of scalar inputs; and `at`-like ops, a scalar read from a tensor input (over lanes of
    // their own, a leaf's or a constant's: other tensors carry one tangent).
    const aTensor = a >= 0 && tape.slot[a] >= 0;
    const laneable = !lanes || !aTensor || tape.op[a] === LEAF || tape.active[a] !== 1;
    const scalar = tape.slot[i] < 0 && a >= 0 && laneable && (!aTensor || (dataAux === 1 && b < 0)) &&
      (b < 0 || tape.slot[b] < 0) && !(many && tape.manyInputs.has(i));
    // An op parameter that is data (an index) travels in the stream, in the unused second-input field.
    const auxInStream = dataAux === 1 && b < 0 && tape.aux[i] === (tape.aux[i] | 0);
    let id: number;
    if (!scalar || (dataAux === 1 && !auxInStream)) {
      if (lanes) return null;
      if (genericId < 0) genericId = variants.push(null) - 1;
      id = genericId;
    } else {
      const aux = dataAux === 1 ? AUX_MARK : tape.aux[i];
      // A number per variant (a string per node would cost more than the sweep it saves).
      const shape = (((code * 16 + parts) * 2 + tape.active[a]) * 3 + (b >= 0 ? tape.active[b] : 2)) * 2 + (aTensor ? 1 : 0);
      // The common case, a parameter of 0 or one read at run time, is found by array index.
      const plain = aux === 0 || aux === AUX_MARK;
      const slotOf = plain ? shape * 2 + (aux === 0 ? 0 : 1) : -1;
      if (slotOf >= 0 && slotOf < BY_SHAPE && byShape[slotOf] !== UNSEEN) id = byShape[slotOf];
      else {
        const key = shape * 2 ** 20 + auxId(aux);
        let found = variantOf.get(key);
        if (found === undefined) {
          let variant = variantCache.get(key);
          if (variant === undefined) {
            variant = traceVariant(code, parts, tape.active[a] === 1, b >= 0 && tape.active[b] === 1, b >= 0, aux, aTensor);
            variantCache.set(key, variant);
          }
          if (variant === null) {
            if (lanes) return null;
            if (genericId < 0) genericId = variants.push(null) - 1;
            found = genericId;
          } else found = variants.push(variant) - 1;
          variantOf.set(key, found);
          if (slotOf >= 0 && slotOf < BY_SHAPE) byShape[slotOf] = found;
        }
        id = found;
      }
    }
    symbols[count] = id;
    fields[count * FIELDS] = i;
    fields[count * FIELDS + 1] = a;
    fields[count * FIELDS + 2] = auxInStream ? tape.aux[i] : b;
    count++;
  }
  const fns: TracedFn[] = [];
  // Each variant's code once, to weigh it and to see which fields it reads (the fused cases render it
  // again at their positions).
  const weight: number[] = [], needsA: boolean[] = [], needsB: boolean[] = [];
  for (const variant of variants) {
    const code = primitive(variant, 0, directions, fns, { i: 'I', a: 'A', b: 'B' });
    if (code.includes('\u0000')) return null;
    weight.push(code.length);
    needsA.push(/\ba0 = A\b/.test(code));
    needsB.push(/\bb0 = B\b/.test(code));
  }
  // A node's symbol is its variant and which fields need not be stored: the node when it follows the
  // node before it in the stream, the first input when it is the node just before on the tape (a
  // chain). A loop that built f repeats both patterns, so they fuse like the variants.
  const next = reverse ? -1 : 1;
  let last = NO_NODE;
  for (let k = 0; k < count; k++) {
    const v = symbols[k], i = fields[k * FIELDS], a = fields[k * FIELDS + 1];
    symbols[k] = v * 4 + (i === last + next ? IMPLICIT_I : 0) + (needsA[v] && a === i - 1 ? IMPLICIT_A : 0);
    last = i;
  }
  const fused = fuse(symbols.subarray(0, count), variants.flatMap((_v, k) => [weight[k], weight[k], weight[k], weight[k]]), CODE_BUDGET);
  // The stream: each instruction's case, then the fields its nodes store.
  const built = new Int32Array(fused.sequence.length + count * FIELDS);
  let at = 0, node = 0;
  for (const c of fused.sequence) {
    built[at++] = c;
    for (const symbol of fused.cases[c]) {
      const v = symbol >> 2;
      if ((symbol & IMPLICIT_I) === 0) built[at++] = fields[node * FIELDS];
      if (needsA[v] && (symbol & IMPLICIT_A) === 0) built[at++] = fields[node * FIELDS + 1];
      if (needsB[v]) built[at++] = fields[node * FIELDS + 2];
      node++;
    }
  }
  const stream = built.slice(0, at);
  // Cases in the switch by how often they run, most often first; runs fused into larger ones are gone.
  const uses = new Int32Array(fused.cases.length);
  for (const c of fused.sequence) uses[c]++;
  const order = [...fused.cases.keys()].filter((c) => uses[c] > 0).sort((x, y) => uses[y] - uses[x]);
  const cases: string[] = [];
  for (const c of order) {
    const members = fused.cases[c];
    let offset = 1;
    const field = () => `S[pc + ${offset++}]`;
    const body = members.map((symbol, q) => {
      const v = symbol >> 2;
      const i = (symbol & IMPLICIT_I) !== 0 ? `${q === 0 ? 'last' : `i${q - 1}`} ${reverse ? '-' : '+'} 1` : field();
      const a = needsA[v] ? ((symbol & IMPLICIT_A) !== 0 ? `i${q} - 1` : field()) : '';
      const b = needsB[v] ? field() : '';
      return primitive(variants[v], q, directions, fns, { i, a, b });
    }).join(' ');
    cases.push(`    case ${c}: { ${body} last = i${members.length - 1}; pc += ${offset}; break; }`);
  }
  // The functions the rules call, as constants of the sweep (no load from F per call).
  const source = `const S = stream, end = S.length;${fns.map((_f, k) => ` const F${k} = F[${k}];`).join('')}
let last = ${NO_NODE};
for (let pc = 0; pc < end;) {
  switch (S[pc]) {
${cases.join('\n')}
    default: throw new Error('dualtape internal error: a generated sweep met an unknown instruction');
  }
}`;
  // A sweep too large for V8 to optimise would run slower over k lanes than k sweeps of one direction.
  if (lanes && source.length > MAX_LANES_SOURCE) return null;
  let fn = functionCache.get(source);
  if (!fn) {
    try {
      fn = new Function('vals', 'dots', 'bars', 'barDots', 'aux', 'slot', 'T', 'V', 'VO', 'OUT', 'OO', 'N', 'OFF', 'stream', 'rules', 'tz', 'F', source) as (...args: unknown[]) => void;
    } catch {
      return null;
    }
    if (functionCache.size > 200) functionCache.clear();
    functionCache.set(source, fn);
  }
  const generated = fn;
  const generic = genericRule(tape, pass);
  return {
    run(t, l) {
      if (t !== tape) throw new Error('dualtape internal error: a generated pass run on another tape');
      if (lanes !== (l !== undefined)) throw new Error('dualtape internal error: a generated pass run with the wrong lanes');
      t.sweepWith(() => generated(
        t.vals, l ? l.dots : t.dots, t.bars, l ? l.barDots : t.barDots, t.aux, t.slot, t.tensors,
        l?.rows, l?.rowsFirst, l?.out, l?.outFirst, l?.stride, l?.offsets, stream, generic, tz, fns,
      ));
    },
  };
}

/**
 * The structural-zero product of the numbers algebra (`times`), without its count of 0·∞ products:
 * only strict mode reads that count, and a strict replay runs the rules themselves.
 */
const tz = (u: number, w: number): number => (u === 0 || w === 0 ? 0 : u * w + 0);

/** The rule itself for one node, doing the parts the pass asks for (the stream's generic instruction). */
function genericRule(tape: Tape, pass: Pass): (i: number) => void {
  const o = tape.o;
  switch (pass) {
    case 'forward': return (i) => ruleOf(tape.op[i]).primal!(o, tape, i);
    case 'tangent': return (i) => ruleOf(tape.op[i]).tangent(o, tape, i);
    case 'forwardTangent': return (i) => tape.valueAndTangentAt(i);
    default: return (i) => {
      tape.offerAdjointLanes(i);
      ruleOf(tape.op[i]).backward(o, tape, i);
    };
  }
}

/** Traces the parts of a variant, in the order a sweep runs them; null when one cannot be traced. */
function traceVariant(code: number, parts: number, aActive: boolean, bActive: boolean, hasB: boolean, aux: number, aTensor: boolean): Variant {
  const traced: NamedPart[] = [];
  for (let p = 0; p < PART_NAMES.length; p++) {
    if ((parts & (1 << p)) === 0) continue;
    const t = traceRule(ruleOf(code), PART_NAMES[p], aActive, bActive, hasB, aux, aTensor);
    if (t === null) return null;
    traced.push({ ...t, part: PART_NAMES[p] });
  }
  return traced;
}

/** Reads a node's code may load once: values, and adjoints (a rule reads only its node's own, ȳ). */
const HOISTABLE = /\b(vals|bars)\[\$([iab])\]/g;
/** Reads of one direction a node's code may load once: its inputs' tangents, its own R-adjoint. */
const LANE_HOISTABLE = /\b(dots)\[\$([ab])\]|\b(barDots)\[\$i\]/g;
const TANGENT_READ = /\b(?:dots|barDots)\[|TDOT\[/;

/** Where the code of a node finds its node, first input and second-input field: expressions. */
interface Fields {
  readonly i: string;
  readonly a: string;
  readonly b: string;
}

/**
 * The code of one node at position q of an instruction: its fields from `fields`, then its
 * parts (the per-direction ones once per direction). Contains a NUL when the variant cannot run over
 * several directions.
 */
function primitive(variant: Variant, q: number, directions: number, fns: TracedFn[], fields: Fields): string {
  if (variant === null) return directions > 0 ? '\u0000' : `const i${q} = ${fields.i}; rules(i${q});`;
  const lanes = directions > 0;
  const out: string[] = [];
  const hoisted = new Set<string>();
  for (const part of variant) {
    const perDirection = part.part === 'tangent' || part.part === 'barDot';
    let renumbered = part.statements.map((s) => ({ ...s, expr: renumber(s.expr, part.fns, fns) }));
    if (part.part !== 'primal') {
      // Values, and the node's own adjoint, are read once into locals: after the primal part no
      // statement of the node writes them, and V8 cannot tell the lanes' arrays apart to reuse a load.
      for (const s of renumbered) {
        for (const [read, lane, slot] of s.expr.matchAll(HOISTABLE)) {
          if (hoisted.has(read)) continue;
          hoisted.add(read);
          out.push(`const ${lane === 'vals' ? 'v' : 'g'}${slot}${q} = ${lane}[${slot}${q}];`);
        }
      }
      renumbered = renumbered.map((s) => ({ ...s, expr: s.expr.replace(HOISTABLE, (_m, lane: string, slot: string) => `${lane === 'vals' ? 'v' : 'g'}${slot}${q}`) }));
    }
    if (!perDirection) {
      if (lanes && renumbered.some((s) => TANGENT_READ.test(s.expr))) return '\u0000';
      out.push(...renumbered.map((s) => statement(s, q, null)));
      continue;
    }
    for (let j = 0; j < Math.max(directions, 1); j++) {
      const lane = lanes ? { k: directions, j } : null;
      const element = (slot: string): string => (lane ? `${slot}${q} * ${lane.k} + ${lane.j}` : `${slot}${q}`);
      // The inputs' tangents and the node's own R-adjoint in this direction, read once (no statement
      // of the node writes them).
      const own = new Set<string>();
      const local = renumbered.map((s) => ({
        ...s,
        expr: s.expr.replace(LANE_HOISTABLE, (_m, dotsName?: string, dotsSlot?: string, barDotsName?: string) => {
          const name = dotsName ?? barDotsName!, slot = dotsSlot ?? 'i';
          const read = `${name === 'dots' ? 'd' : 'h'}${slot}${q}_${j}`;
          if (!own.has(read)) {
            own.add(read);
            out.push(`const ${read} = ${name}[${element(slot)}];`);
          }
          return read;
        }),
      }));
      // Its R-adjoint has been read: zeroed here, the lanes need no clearing before the next sweep.
      if (lanes && part.part === 'barDot') out.push(`barDots[${element('i')}] = 0;`);
      out.push(...local.map((s) => statement(s, q, lane)));
    }
  }
  let body = out.join(' ');
  const uses = (name: string): boolean => new RegExp(`\\b${name}${q}\\b`).test(body);
  // The node is always named: the next node may be found from it.
  const head: string[] = [`const i${q} = ${fields.i};`];
  if (uses('a') || uses('TA') || uses('TD') || uses('TB')) head.push(`const a${q} = ${fields.a};`);
  if (uses('b')) head.push(`const b${q} = ${fields.b};`);
  if (uses('TA')) head.push(`const TA${q} = T[slot[a${q}]];`);
  if (uses('TD')) head.push(`const TD${q} = VO + OFF[slot[a${q}]];`);
  if (uses('TB')) head.push(`const TB${q} = OO + OFF[slot[a${q}]];`);
  // Not a block: the names are the node's own (suffixed q), and the instruction reads i{q} after it.
  return `${head.join(' ')} ${body}`;
}

/** A part's `F[k]` renumbered into the pass's function table. */
function renumber(expr: string, own: readonly TracedFn[], fns: TracedFn[]): string {
  return expr.replace(/F\[(\d+)\]/g, (_m, k: string) => {
    const f = own[Number(k)];
    let at = fns.indexOf(f);
    if (at < 0) at = fns.push(f) - 1;
    return `F[${at}]`;
  });
}

/** One statement as code, for the node at position q, in direction `lane.j` of `lane.k` when given. */
function statement(s: Statement, q: number, lane: { k: number; j: number } | null): string {
  const node = (name: string): string => name.replace(/\$([iab])/g, (_m, slot: string) => `${slot}${q}`);
  // An index that is op data reads the stream's second-input field (see generatePass).
  const at = (index: string): string => node(index.replace(/aux\[\$i\]/g, '$b'));
  // Element `index` of a leaf tensor's row in this direction (see DirectionLanes).
  const element = (index: string): string => `${at(index)}${lane && lane.j > 0 ? ` + ${lane.j} * N` : ''}`;
  const index = at(s.index);
  const expr = node(s.expr
    .replace(/F\[(\d+)\]/g, 'F$1')
    .replace(/aux\[\$i\]/g, '$b')
    .replace(/\b(dots|barDots)\[(\$[iab])\]/g, (_m, name: string, j: string) => `${name}[${lane ? `${j} * ${lane.k} + ${lane.j}` : j}]`)
    .replace(/TDOT\[(\$b|\d+)\]/g, (_m, index: string) =>
      (lane ? `V[TD${q} + ${element(index)}]` : `(TA${q}.dataDot === null ? 0 : TA${q}.dataDot[${index}])`))
    .replace(/\bTA\./g, `TA${q}.`));
  switch (s.lane) {
    case 'vals': case 'bars':
      return `${s.lane}[${node(s.node)}] ${s.op} ${expr};`;
    case 'dots': case 'barDots':
      return `${s.lane}[${lane ? `${node(s.node)} * ${lane.k} + ${lane.j}` : node(s.node)}] ${s.op} ${expr};`;
    case 'tensorBar':
      return `{ const w = ${expr}; if (w !== 0) (TA${q}.bar ??= new Float64Array(TA${q}.size))[${index}] += w; }`;
    case 'tensorBarDot':
      return lane
        ? `{ const w = ${expr}; if (w !== 0) OUT[TB${q} + ${element(s.index)}] += w; }`
        : `{ const w = ${expr}; if (w !== 0) (TA${q}.barDot ??= new Float64Array(TA${q}.size))[${index}] += w; }`;
  }
}
