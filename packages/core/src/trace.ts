/**
 * Traces: the forward-over-reverse sweeps made visible, for teaching and debugging.
 *
 * `trace(f, x, v)` records `f` exactly as {@link gradAndHvp} does (one forward sweep carrying tangents
 * ẋ = v), then runs the reverse sweep itself, one node at a time, with the engine's own rule table
 * (`ruleOf(op).backward`): the same loop as `Tape.reverse`, so the numbers are the engine's, bit for
 * bit. After each step it copies the dual adjoints (x̄, R{x̄}) of the inputs that step pushed into;
 * before the tape is released it copies every node's four lanes. Nothing here is on the hot path:
 * transforms that are not traced pay nothing.
 *
 * `formatTrace` prints the tape as a table, `toDot` draws it as a Graphviz graph, and `traceFrame`
 * gives the state of every lane at any point of the two sweeps, for a user interface that replays them.
 * @module
 */
import { ArgumentError } from './errors.js';
import { checkOptions, describeValue, option, type OptionsSpec } from './options.js';
import type { Pytree, ValueTree } from './pytree.js';
import { leavesOf } from './pytree.js';
import { formatShape, type Shape } from './shape.js';
import { CONSTANT, LEAF, ruleOf, type Tape } from './tape.js';
import { TRANSFORM_OPTIONS, collect, direction, record, scalarOutput, scalarValued, zerosLike, type TransformOptions } from './recording.js';
import { shown } from './shown.js';
import type { Differentiable } from './transforms.js';
import { noExtraArguments } from './arity.js';

/**
 * One lane of one node: a number for a scalar node, row-major data for a tensor node.
 *
 * @example
 * ```ts
 * trace((x: Scalar) => x.square(), 3, 1).rows[0].adjoint; // 6: a scalar node's lane is a number
 * ```
 */
export type Lane = number | Float64Array;

/**
 * What a node is on the tape.
 *
 * @example
 * ```ts
 * trace((x: Tensor) => x.mul(2).sum(), [1, 2], [1, 0]).rows.filter((row) => row.role === 'leaf').length; // 1
 * ```
 */
export type TraceRole = 'leaf' | 'constant' | 'op';

/**
 * One tape node, with its four lanes at the end of both sweeps.
 *
 * @example
 * ```ts
 * const [x, y] = trace((x: Scalar) => x.square(), 3, 1).rows;
 * [y.value, y.adjoint];      // [9, 1]: y = x², ȳ = 1
 * [x.adjoint, x.adjointDot]; // [6, 2]: ∇f = 2x and H·v = 2
 * ```
 */
export interface TraceRow {
  /** Position on the tape (creation order, which is the order of the forward sweep). */
  readonly index: number;
  /** The op's name (`leaf` for a parameter, `constant` for data or a literal). */
  readonly op: string;
  /** Tape indices of the inputs, in argument order (an input used twice appears twice). */
  readonly inputs: readonly number[];
  /** A parameter (`leaf`), data or a literal (`constant`), or computed (`op`). */
  readonly role: TraceRole;
  /** For a leaf: its place in x (`x`, `x[1]`, `x.w1`). */
  readonly label?: string;
  /** A scalar node or a tensor node. */
  readonly kind: 'scalar' | 'tensor';
  /** `[]` for a scalar (and for a 0-d tensor). */
  readonly shape: Shape;
  /** True when the node depends on the parameters: only such nodes carry a tangent and an adjoint. */
  readonly active: boolean;
  /** y. */
  readonly value: Lane;
  /** R{y} = vᵀ∇y, the tangent carried by the forward sweep. */
  readonly tangent: Lane;
  /** ȳ = ∂f/∂y, filled by the reverse sweep (0 for inactive nodes). */
  readonly adjoint: Lane;
  /** R{ȳ}, the tangent of the adjoint, filled by the same reverse sweep. */
  readonly adjointDot: Lane;
  /** How the op reads its inputs where the inputs alone do not say: `reads #2 transposed, in place`. */
  readonly detail?: string;
  /**
   * For a node recorded by a transform nested inside f: which one and in which sweep, e.g.
   * `grad #1 · f`, `grad #1 · reverse sweep`. Absent for f's own nodes.
   */
  readonly frame?: string;
}

/**
 * The dual adjoint of one input right after a reverse step accumulated into it.
 *
 * @example
 * ```ts
 * trace((x: Scalar) => x.square(), 3, 1).reverse[0].pushes[0]; // { input: 0, adjoint: 6, adjointDot: 2 }
 * ```
 */
export interface TracePush {
  /** The input's tape index. */
  readonly input: number;
  /** Its x̄ after the push. */
  readonly adjoint: Lane;
  /** Its R{x̄} after the push. */
  readonly adjointDot: Lane;
}

/**
 * One step of the reverse sweep: node `node` pushes its dual adjoint into its inputs.
 *
 * @example
 * ```ts
 * const [last] = trace((x: Scalar) => x.square(), 3, 1).reverse;
 * [last.op, last.pushes.length]; // ['square', 1]: x² pushes into x
 * ```
 */
export interface ReverseStep {
  /** The tape index of the node that pushes. */
  readonly node: number;
  /** Its op's name. */
  readonly op: string;
  /**
   * The node's own (ȳ, R{ȳ}) as it pushes. Already final: every node that consumes it was created
   * later, so its step came earlier in the reverse sweep.
   */
  readonly adjoint: Lane;
  /** R{ȳ} of the node, as it pushes. */
  readonly adjointDot: Lane;
  /** Each distinct active input, with its (x̄, R{x̄}) after this step's `+=`. Empty for leaves. */
  readonly pushes: readonly TracePush[];
}

/**
 * The record of one forward-over-reverse evaluation of `f` at `x` in direction `v`.
 *
 * @example
 * ```ts
 * const t: Trace = trace((x: Scalar) => x.square(), 3, 1);
 * [t.value, t.grad, t.hvp]; // [9, 6, 2]
 * ```
 */
export interface Trace<T extends Pytree = Pytree> {
  /** Every tape node, in creation order. */
  readonly rows: readonly TraceRow[];
  /** Index of the output node f, or −1 when f returned a plain number. */
  readonly output: number;
  /** The reverse sweep in the order it ran: active nodes, last to first. */
  readonly reverse: readonly ReverseStep[];
  /** f(x). */
  readonly value: number;
  /** ∇f(x), shaped like x: the adjoints of the leaves. */
  readonly grad: ValueTree<T>;
  /** H(x)·v, shaped like x: the R{adjoint}s of the leaves. */
  readonly hvp: ValueTree<T>;
}

/**
 * Options of {@link trace}.
 *
 * @example
 * ```ts
 * trace((x: Tensor) => x.square().sum(), [1, 2], [1, 0], { maxNodes: 1000, checkFinite: true });
 * ```
 */
export interface TraceOptions extends TransformOptions {
  /** Tape budget; defaults to 100 000 nodes here, since a trace copies every lane of every node. */
  readonly maxNodes?: number;
}

const TRACE_MAX_NODES = 100_000;

/**
 * f(x), ∇f(x) and H(x)·v, as {@link gradAndHvp} computes them, together with every tape node's value,
 * tangent R{value}, adjoint and R{adjoint}, and the order in which the reverse sweep pushed them.
 *
 * @example
 * ```ts
 * const t = trace((p: { x: Scalar; y: Scalar }) => p.x.mul(p.y).add(p.x.sin()), { x: 2, y: 3 }, { x: 1, y: 0 });
 * console.log(formatTrace(t));
 * t.rows[2].tangent; // R{x·y} = v_x·y + x·v_y = 3
 * ```
 */
export function trace<T extends Pytree>(f: Differentiable<T>, x: T, v: Pytree, options: TraceOptions = {}): Trace<T> {
  noExtraArguments('trace', arguments, 4, 'trace(f, x, v, options)');
  // Checked before the spread below, which would turn null into a TypeError and true or 3 into {}.
  const checked = checkOptions('trace', options, TRANSFORM_OPTIONS);
  const rec = record('trace', scalarValued(f), x, direction('trace', v), { ...checked, maxNodes: checked.maxNodes ?? TRACE_MAX_NODES });
  const { tape } = rec;
  if (rec.nested) throw new ArgumentError('trace: call it at top level, not inside another transform (nested transforms show up in the trace of the outer one)');
  try {
    const out = scalarOutput(rec);
    const labels = new Map<number, string>();
    leavesOf(x).forEach((leaf, k) => labels.set(rec.leaves[k].id, leaf.path));
    const reverse: ReverseStep[] = [];
    if (out !== null) {
      // The engine's sweep (see sweepFromScalar and Tape.reverse), one step at a time.
      tape.sweepBar = true;
      tape.sweepBarDot = true;
      tape.bars[out.id] = 1;
      for (let i = tape.length - 1; i >= 0; i--) {
        if (tape.active[i] !== 1) continue;
        const [adjoint, adjointDot] = adjointLanes(tape, i);
        ruleOf(tape.op[i]).backward(tape.o, tape, i);
        const targets = [...new Set(tape.inputsOf(i))].filter((k) => tape.active[k] === 1);
        const pushes = targets.map((input) => {
          const [a, aDot] = adjointLanes(tape, input);
          return { input, adjoint: a, adjointDot: aDot };
        });
        reverse.push({ node: i, op: ruleOf(tape.op[i]).name, adjoint, adjointDot, pushes });
      }
    }
    const rows: TraceRow[] = [];
    for (let i = 0; i < tape.length; i++) rows.push(rowOf(tape, i, labels.get(i), frameOf(tape, i)));
    if (out === null) {
      return { rows, output: -1, reverse, value: rec.constantValue, grad: zerosLike(x, rec), hvp: zerosLike(x, rec) };
    }
    return {
      rows, output: out.id, reverse, value: out.value, grad: collect(x, rec, 'bar'), hvp: collect(x, rec, 'barDot'),
    };
  } finally {
    tape.release();
  }
}

/** The innermost nested transform's label for node i (frames nest: the last that holds i is innermost). */
function frameOf(tape: Tape, i: number): string | undefined {
  let label: string | undefined;
  let width = Infinity;
  for (const fr of tape.frames) {
    if (fr.start <= i && i < fr.end && fr.end - fr.start <= width) {
      label = fr.label;
      width = fr.end - fr.start;
    }
  }
  return label;
}

function detailOf(tape: Tape, i: number): { detail?: string } {
  const detail = ruleOf(tape.op[i]).describe?.(tape, i);
  return detail === undefined ? {} : { detail };
}

function rowOf(tape: Tape, i: number, label: string | undefined, frame: string | undefined): TraceRow {
  const code = tape.op[i];
  const role: TraceRole = code === LEAF ? 'leaf' : code === CONSTANT ? 'constant' : 'op';
  const active = tape.active[i] === 1;
  const [adjoint, adjointDot] = adjointLanes(tape, i);
  const common = {
    index: i, op: ruleOf(code).name, inputs: [...tape.inputsOf(i)], role, active, adjoint, adjointDot,
    ...(label === undefined ? {} : { label }),
    ...(frame === undefined ? {} : { frame }),
    ...detailOf(tape, i),
  };
  if (tape.isTensor(i)) {
    const t = tape.tensorAt(i);
    return {
      ...common, kind: 'tensor', shape: [...t.shape], value: t.data.slice(),
      tangent: t.dataDot ? t.dataDot.slice() : new Float64Array(t.size),
    };
  }
  return { ...common, kind: 'scalar', shape: [], value: tape.vals[i], tangent: active ? tape.dots[i] : 0 };
}

/** Copies of node i's adjoint lanes (x̄, R{x̄}); a tensor's unset lane is zeros. */
function adjointLanes(tape: Tape, i: number): [Lane, Lane] {
  if (tape.isTensor(i)) {
    const t = tape.tensorAt(i);
    return [t.bar ? t.bar.slice() : new Float64Array(t.size), t.barDot ? t.barDot.slice() : new Float64Array(t.size)];
  }
  return [tape.bars[i], tape.barDots[i]];
}

// ---------------------------------------------------------------------------------------------------
// Replaying the sweeps
// ---------------------------------------------------------------------------------------------------

/**
 * A node's lanes as known at one point of the sweeps; null where not computed yet.
 *
 * @example
 * ```ts
 * const t = trace((x: Scalar) => x.square(), 3, 1);
 * traceFrame(t, 1).lanes[0]; // { value: 3, tangent: 1, adjoint: null, adjointDot: null }
 * ```
 */
export interface FrameLanes {
  /** y, once the forward sweep has reached the node. */
  readonly value: Lane | null;
  /** R{y}, with the value. */
  readonly tangent: Lane | null;
  /** ȳ so far, once the reverse sweep has reached the node or a node that uses it. */
  readonly adjoint: Lane | null;
  /** R{ȳ} so far, with the adjoint. */
  readonly adjointDot: Lane | null;
}

/**
 * The state of the sweeps after `position` steps (see {@link traceFrame}).
 *
 * @example
 * ```ts
 * const t = trace((x: Scalar) => x.square(), 3, 1);
 * const frame: TraceFrame = traceFrame(t, traceLength(t));
 * frame.done; // true
 * ```
 */
export interface TraceFrame {
  /** Steps taken: 0 at the start, {@link traceLength} at the end. */
  readonly position: number;
  /** `start`: nothing computed; `forward`: node `node` was just computed; `reverse`: node `node` just pushed. */
  readonly phase: 'start' | 'forward' | 'reverse';
  /** The node of the last step, −1 at the start. */
  readonly node: number;
  /** The reverse step just taken, or null. */
  readonly step: ReverseStep | null;
  /** True once both sweeps are complete. */
  readonly done: boolean;
  /** Per node, in tape order. */
  readonly lanes: readonly FrameLanes[];
}

/**
 * The number of steps of both sweeps: one per tape node forward, one per active node in reverse.
 *
 * @example
 * ```ts
 * traceLength(trace((x: Scalar) => x.square(), 3, 1)); // 4: two nodes forward, two reverse steps
 * ```
 */
export function traceLength(t: Trace): number {
  noExtraArguments('traceLength', arguments, 1, 'traceLength(t)');
  checkTrace('traceLength', t);
  return t.rows.length + t.reverse.length;
}

/**
 * The lanes of every node after `position` steps: positions 1…n are the forward sweep (node
 * position−1 gets its value and R{value}); positions n+1…n+r the reverse sweep (the seed ȳ = 1,
 * R{ȳ} = 0 on f, then one push per step). Position 0 is before anything; {@link traceLength} is the end.
 *
 * @example
 * ```ts
 * const t = trace(f, x, v);
 * for (let p = 0; p <= traceLength(t); p++) show(traceFrame(t, p));
 * ```
 */
export function traceFrame(t: Trace, position: number): TraceFrame {
  noExtraArguments('traceFrame', arguments, 2, 'traceFrame(t, position)');
  checkTrace('traceFrame', t);
  const n = t.rows.length;
  const total = traceLength(t);
  if (!Number.isInteger(position)) {
    // shown(): a symbol or a node in a template string would throw a TypeError or NodeConversionError here.
    throw new ArgumentError(`traceFrame: position ${shown(position)} is not an integer; positions are 0…${total}`);
  }
  if (position < 0 || position > total) {
    throw new ArgumentError(`traceFrame: position ${position} is outside 0…${total}`);
  }
  const lanes: Array<{ value: Lane | null; tangent: Lane | null; adjoint: Lane | null; adjointDot: Lane | null }> =
    t.rows.map(() => ({ value: null, tangent: null, adjoint: null, adjointDot: null }));
  const computed = Math.min(position, n);
  for (let i = 0; i < computed; i++) {
    lanes[i].value = t.rows[i].value;
    lanes[i].tangent = t.rows[i].tangent;
  }
  const steps = Math.max(0, position - n);
  if (steps > 0 && t.output >= 0) {
    lanes[t.output].adjoint = 1; // f is a scalar node (trace refuses any other output)
    lanes[t.output].adjointDot = 0;
  }
  for (let s = 0; s < steps; s++) {
    const step = t.reverse[s];
    lanes[step.node].adjoint = step.adjoint;
    lanes[step.node].adjointDot = step.adjointDot;
    for (const p of step.pushes) {
      lanes[p.input].adjoint = p.adjoint;
      lanes[p.input].adjointDot = p.adjointDot;
    }
  }
  const phase = position === 0 ? 'start' : steps === 0 ? 'forward' : 'reverse';
  const step = steps > 0 ? t.reverse[steps - 1] : null;
  const frame: TraceFrame = {
    position, phase, node: step ? step.node : position === 0 ? -1 : position - 1, step, done: position === total, lanes,
  };
  FRAME_OF.set(frame, t);
  return frame;
}

/** The trace each frame was made from (a frame built by hand, or copied, has none: only its size is checked). */
const FRAME_OF = new WeakMap<TraceFrame, Trace>();

// ---------------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------------

/**
 * How lanes are printed.
 *
 * @example
 * ```ts
 * formatLane(Float64Array.of(1, 2, 3, 4, 5), { maxEntries: 2, digits: 3 }); // '[1, 2, …]'
 * ```
 */
export interface LaneFormat {
  /** Entries of a tensor shown before `…`. Default 4. */
  readonly maxEntries?: number;
  /** Significant digits. Default 6. */
  readonly digits?: number;
}

/**
 * A number in at most `digits` significant digits, trailing zeros dropped: `0.909297`, `-1.5e-7`.
 *
 * @example
 * ```ts
 * formatNumber(Math.PI, 3); // '3.14'
 * ```
 */
export function formatNumber(x: number, digits = 6): string {
  if (typeof x !== 'number') throw new ArgumentError(`formatNumber: x must be a number, got ${describeValue(x)}`);
  checkDigits('formatNumber', digits);
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e15) return String(x);
  if (a >= 1e-4 && a < 10 ** digits) {
    // toPrecision switches to an exponent when x rounds up to 10^digits (999999.7 → '1.00000e+6'):
    // that case is written as the exponent form below writes it.
    const fixed = x.toPrecision(digits);
    if (!fixed.includes('e')) return trimZeros(fixed);
  }
  const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
  return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * A lane as text: a number, or a tensor's first entries `[1, 2, 3, …]`.
 *
 * @example
 * ```ts
 * formatLane(Float64Array.of(0.5, 1 / 3)); // '[0.5, 0.333333]'
 * ```
 */
export function formatLane(lane: Lane, format: LaneFormat = {}): string {
  noExtraArguments('formatLane', arguments, 2, 'formatLane(lane, format)');
  const { maxEntries = 4, digits = 6 } = checkOptions('formatLane', format, LANE_FORMAT_OPTIONS);
  if (typeof lane !== 'number' && !(lane instanceof Float64Array)) {
    throw new ArgumentError(`formatLane: a lane is a number or a Float64Array (a row of a trace), got ${describeValue(lane)}`);
  }
  if (typeof lane === 'number') return formatNumber(lane, digits);
  const shown = Array.from(lane.subarray(0, maxEntries), (e) => formatNumber(e, digits));
  if (lane.length > maxEntries) shown.push('…');
  return `[${shown.join(', ')}]`;
}

/**
 * Options of {@link formatTrace}.
 *
 * @example
 * ```ts
 * console.log(formatTrace(trace((x: Scalar) => x.square(), 3, 1), { reverse: false, digits: 4 }));
 * ```
 */
export interface FormatTraceOptions extends LaneFormat {
  /** Also list the reverse sweep step by step. Default true. */
  readonly reverse?: boolean;
}

/**
 * The trace as an aligned text table (one row per tape node), the reverse sweep step by step, and
 * f, ∇f and H·v.
 *
 * @example
 * ```ts
 * console.log(formatTrace(trace(f, x, v)));
 * ```
 */
export function formatTrace(t: Trace, options: FormatTraceOptions = {}): string {
  noExtraArguments('formatTrace', arguments, 2, 'formatTrace(t, options)');
  checkTrace('formatTrace', t);
  checkOptions('formatTrace', options, FORMAT_TRACE_OPTIONS);
  const format = laneFormatOf(options);
  const lane = (l: Lane) => formatLane(l, format);
  const header = ['#', 'op', 'inputs', 'shape', 'value', 'R{value}', 'adjoint', 'R{adjoint}', 'note'];
  const read = new Set(t.rows.flatMap((r) => r.inputs));
  const body = t.rows.map((r) => [
    String(r.index),
    r.op,
    r.inputs.length === 0 ? '' : r.inputs.map((k) => `#${k}`).join(' '),
    r.kind === 'scalar' ? 'scalar' : formatShape(r.shape),
    lane(r.value),
    lane(r.tangent),
    r.active ? lane(r.adjoint) : '·',
    r.active ? lane(r.adjointDot) : '·',
    noteOf(t, r, read),
  ]);
  const lines = alignColumns([header, ...body], [true, false, false, false, true, true, true, true, false]);
  lines.splice(1, 0, '-'.repeat(lines[0].length));
  const out = ['forward sweep (tape order): value and R{value}; reverse sweep: adjoint and R{adjoint}', '', ...lines];
  if (options.reverse ?? true) {
    out.push('');
    if (t.output < 0) out.push('reverse sweep: none (f returned a constant)');
    else {
      out.push(`reverse sweep, last node first (seed on #${t.output}: adjoint 1, R{adjoint} 0):`);
      const stepLines = t.reverse.map((s, k) => [
        `step ${k + 1}`,
        `#${s.node} ${s.op}`,
        `(ȳ, R{ȳ}) = (${lane(s.adjoint)}, ${lane(s.adjointDot)})`,
        s.pushes.length === 0 ? '(a leaf: nothing to push)' : s.pushes
          .map((p) => `#${p.input} ← (${lane(p.adjoint)}, ${lane(p.adjointDot)})`).join('   '),
      ]);
      out.push(...alignColumns(stepLines, [false, false, false, false]).map((l) => `  ${l}`));
    }
  }
  out.push('', `f    = ${formatTree(t.value, format)}`, `∇f   = ${formatTree(t.grad, format)}`, `H·v  = ${formatTree(t.hvp, format)}`);
  return out.join('\n');
}

function noteOf(t: Trace, r: TraceRow, read: ReadonlySet<number>): string {
  const notes: string[] = [];
  if (r.role === 'leaf') notes.push(`leaf ${r.label ?? ''}`.trim());
  if (r.role === 'constant') notes.push('constant');
  else if (!r.active) notes.push('inactive');
  if (r.index === t.output) notes.push('output f');
  if (r.detail !== undefined) notes.push(r.detail);
  else if (r.role === 'op' && r.index !== t.output && !read.has(r.index)) notes.push('not read by a later node');
  // A row recorded by a transform nested in f: which one, and in which of its sweeps.
  if (r.frame !== undefined) notes.push(`by ${r.frame}`);
  return notes.join(', ');
}

function formatTree(tree: unknown, format: LaneFormat): string {
  const full: LaneFormat = { ...format, maxEntries: format.maxEntries ?? 8 };
  const visit = (node: unknown): string => {
    if (typeof node === 'number' || node instanceof Float64Array) return formatLane(node, full);
    if (Array.isArray(node)) return `[${node.map(visit).join(', ')}]`;
    if (node !== null && typeof node === 'object') {
      return `{ ${Object.entries(node).map(([k, v]) => `${k}: ${visit(v)}`).join(', ')} }`;
    }
    return String(node);
  };
  return visit(tree);
}

/** Pads each column to its widest cell (right-aligned where `right`), two spaces between columns. */
function alignColumns(table: string[][], right: boolean[]): string[] {
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => width(row[c]))));
  return table.map((row) => row
    .map((cell, c) => {
      const pad = ' '.repeat(widths[c] - width(cell));
      return right[c] ? pad + cell : cell + pad;
    })
    .join('  ')
    .trimEnd());
}

/** Printed width: combining marks (the bar of x̄) take no column. */
function width(s: string): number {
  return [...s.replace(/[\u0300-\u036f]/g, '')].length;
}

// ---------------------------------------------------------------------------------------------------
// Graphviz
// ---------------------------------------------------------------------------------------------------

/**
 * Options of {@link toDot}.
 *
 * @example
 * ```ts
 * const t = trace((x: Scalar) => x.square(), 3, 1);
 * const dot = toDot(t, { rankdir: 'LR', frame: traceFrame(t, 2) });
 * ```
 */
export interface DotOptions extends LaneFormat {
  /**
   * Show the sweeps at this point (see {@link traceFrame}): lanes not computed yet are not shown
   * (drawn transparent, so the layout is the same at every step), the step's node is highlighted,
   * and so are the edges it used. Without a frame every lane is final.
   */
  readonly frame?: TraceFrame;
  /** Layout direction. Default `TB` (leaves at the top, f at the bottom). */
  readonly rankdir?: 'TB' | 'LR';
  /** Extra text under a node's title, e.g. the textbook equation it realizes. */
  readonly notes?: ReadonlyMap<number, string>;
}

/**
 * Past this many nodes, dot's crossing minimisation and network simplex run bounded passes: an input
 * read all along a long chain (x in a loop of y = sin(y·x)) gives edges spanning many ranks, where
 * the unbounded passes took 9 s at 161 nodes and minutes at 241 (Graphviz's own limits, its
 * documented remedy for slow layouts; a smaller graph keeps the full layout).
 */
const LARGE_GRAPH = 100;
const LAYOUT_LIMITS = ', mclimit=0.05, nslimit=2, nslimit1=2';

const COLORS = {
  leaf: '#e3f1e6', constant: '#f1f3f4', op: '#ffffff', output: '#dde9fb', current: '#ffe08a', currentBorder: '#b06000',
  edge: '#7a7a7a', forwardEdge: '#1a66d2', reverseEdge: '#c5221f',
} as const;

/**
 * The trace as a Graphviz digraph: one node per tape node, labelled with its value, R{value},
 * adjoint and R{adjoint}; edges go from inputs to the nodes that use them (the forward data flow;
 * the reverse sweep walks them backwards). Each Graphviz node has `id="node_<index>"`, which SVG
 * output keeps, so a page can find it.
 *
 * @example
 * ```ts
 * writeFileSync('trace.dot', toDot(trace(f, x, v)));  // then: dot -Tsvg trace.dot
 * ```
 */
export function toDot(t: Trace, options: DotOptions = {}): string {
  noExtraArguments('toDot', arguments, 2, 'toDot(t, options)');
  checkTrace('toDot', t);
  const { frame, notes } = checkOptions('toDot', options, DOT_OPTIONS);
  const format = laneFormatOf(options);
  if (frame !== undefined && frame.lanes.length !== t.rows.length) {
    throw new ArgumentError(`toDot: the frame has ${frame.lanes.length} nodes but the trace ${t.rows.length}; pass a frame of this trace, traceFrame(t, position)`);
  }
  // Same size is not same trace: another function's frame would label this graph with its numbers.
  const source = frame === undefined ? undefined : FRAME_OF.get(frame);
  if (source !== undefined && source !== t) {
    throw new ArgumentError('toDot: the frame was made from another trace (traceFrame(t2, …)); pass a frame of this trace, traceFrame(t, position)');
  }
  for (const key of notes?.keys() ?? []) {
    if (key >= t.rows.length) throw new ArgumentError(`toDot: notes has a note for node ${key}, but the trace has nodes 0…${t.rows.length - 1}`);
  }
  // A lane not computed yet is drawn in transparent ink: its space is kept, so the layout does not
  // move while a user interface steps through the sweeps.
  const lane = (l: Lane | null, final: Lane, active: boolean) =>
    !active ? { text: '—', hidden: false } : { text: formatLane(l ?? final, format), hidden: l === null };
  const current = frame ? frame.node : -1;
  const lines = [
    'digraph trace {',
    `  graph [rankdir=${options.rankdir ?? 'TB'}, nodesep=0.25, ranksep=0.35, fontname="Helvetica", bgcolor="transparent"${t.rows.length > LARGE_GRAPH ? LAYOUT_LIMITS : ''}];`,
    '  node [shape=plain, fontname="Helvetica", fontsize=10];',
    `  edge [color="${COLORS.edge}", arrowsize=0.6];`,
  ];
  for (const r of t.rows) {
    const lanes = frame ? frame.lanes[r.index] : r;
    const fill = r.index === current ? COLORS.current
      : r.index === t.output ? COLORS.output : COLORS[r.role];
    const title = `#${r.index} ${r.role === 'leaf' && r.label ? `${r.op} ${r.label}` : r.op}`;
    const shape = r.kind === 'scalar' ? '' : ` ${formatShape(r.shape)}`;
    const note = notes?.get(r.index);
    const cell = (name: string, { text, hidden }: { text: string; hidden: boolean }) =>
      `<tr><td align="left"><font color="#5f6368">${name}</font></td><td align="right">` +
      (hidden ? `<font color="transparent">${escapeHtml(text)}</font>` : escapeHtml(text)) + '</td></tr>';
    const label = [
      `<table border="1" cellborder="0" cellspacing="0" cellpadding="2" bgcolor="${fill}" color="${r.index === current ? COLORS.currentBorder : '#000000'}"${r.role === 'constant' ? ' style="dashed"' : ''}>`,
      `<tr><td colspan="2"><b>${escapeHtml(title)}</b>${escapeHtml(shape)}${r.index === t.output ? ' = f' : ''}</td></tr>`,
      note ? `<tr><td colspan="2"><font point-size="8" color="#5f6368">${escapeHtml(note)}</font></td></tr>` : '',
      cell('value', lane(lanes.value, r.value, true)),
      cell('R{value}', lane(lanes.tangent, r.tangent, true)),
      cell('adjoint', lane(lanes.adjoint, r.adjoint, r.active)),
      cell('R{adjoint}', lane(lanes.adjointDot, r.adjointDot, r.active)),
      '</table>',
    ].join('');
    lines.push(`  n${r.index} [id="node_${r.index}", label=<${label}>];`);
  }
  const step = frame?.step ?? null;
  for (const r of t.rows) {
    for (const k of new Set(r.inputs)) {
      let attrs = '';
      if (frame?.phase === 'forward' && r.index === current) attrs = ` [color="${COLORS.forwardEdge}", penwidth=2]`;
      if (step && r.index === step.node && step.pushes.some((p) => p.input === k)) {
        attrs = ` [color="${COLORS.reverseEdge}", penwidth=2, dir=back]`;
      }
      lines.push(`  n${k} -> n${r.index}${attrs};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * Text for a Graphviz HTML label, shown literally: markup characters as entities; a backslash as
 * an entity too (Graphviz expands \N, \G, \E… even there); control characters as their visible
 * pictures (␛ for ESC: Graphviz drops the node's label at one, and stops at NUL); noncharacters and
 * lone surrogates as U+FFFD.
 */
function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\\/g, '&#92;')
    .replace(/[\u0000-\u001f]/g, (c) => String.fromCharCode(0x2400 + c.charCodeAt(0)))
    .replace(/\u007f/g, '\u2421')
    .replace(/[\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

// ---------------------------------------------------------------------------------------------------
// Argument checks (a trace is plain data a user may build or mangle; a misspelled option must not be ignored)
// ---------------------------------------------------------------------------------------------------

/** Significant digits that Number.prototype.toPrecision accepts. */
const MAX_DIGITS = 100;

const LANE_FORMAT_OPTIONS: OptionsSpec<LaneFormat> = {
  maxEntries: option.integer({ min: 0 }),
  digits: option.integer({ min: 1, max: MAX_DIGITS }),
};

const FORMAT_TRACE_OPTIONS: OptionsSpec<FormatTraceOptions> = { ...LANE_FORMAT_OPTIONS, reverse: option.boolean() };

const DOT_OPTIONS: OptionsSpec<DotOptions> = {
  ...LANE_FORMAT_OPTIONS,
  frame: { expected: 'a frame from traceFrame(t, position)', accepts: (v) => isObject(v) && Array.isArray(v.lanes) && typeof v.node === 'number' },
  rankdir: option.literal('TB', 'LR'),
  notes: {
    expected: 'a Map from node index (an integer ≥ 0) to text',
    accepts: (v) => v instanceof Map && [...v].every(([key, text]) => Number.isInteger(key) && key >= 0 && typeof text === 'string'),
  },
};

/** The lane format part of a printing function's options (formatLane refuses the others as unknown). */
function laneFormatOf(options: LaneFormat): LaneFormat {
  return { maxEntries: options.maxEntries, digits: options.digits };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function checkDigits(fn: string, digits: unknown): void {
  if (!Number.isInteger(digits) || (digits as number) < 1 || (digits as number) > MAX_DIGITS) {
    throw new ArgumentError(`${fn}: digits must be an integer from 1 to ${MAX_DIGITS}, got ${describeValue(digits)}`);
  }
}

/** t must be what trace(f, x, v) returned: the functions below read its rows and reverse steps. */
function checkTrace(fn: string, t: unknown): void {
  if (!isObject(t) || !Array.isArray(t.rows) || !Array.isArray(t.reverse) || typeof t.output !== 'number') {
    throw new ArgumentError(`${fn}: expected a trace, the result of trace(f, x, v), got ${describeValue(t)}`);
  }
}
