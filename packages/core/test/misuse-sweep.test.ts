// A table-driven misuse sweep of every public export. Each export is listed below as an op, a
// transform, a utility, a constructor, an error class or a constant, and the list must equal
// Object.keys(index): a new export without a case fails the first test.
//
// Every op and transform is called with a catalogue of wrong arguments in each position (missing,
// undefined, null, strings, booleans, objects, symbols, bigints, functions, ragged arrays, non-finite,
// negative, fractional and huge numbers, typed arrays of the wrong kind, nodes of a finished call,
// misspelled options, …). Each call must either throw a DualtapeError whose message names the function,
// or be listed under `accepts` as a valid call (NumPy semantics), whose result is then checked against
// the same result computed another way. A call outside both is a failure: never an internal TypeError,
// never a silent number.
// What this adds to argument-kinds, hostile-inputs, options, errors and adversarial.test.ts: the whole
// catalogue against every position of every export, rather than chosen cases. Then: JS operators on
// nodes inside every transform, f returning what a transform cannot use (or throwing), and misspelled
// or wrong-typed options.
//
// The StructureErrors about x, v and u come from the pytree code the transforms share; each transform
// puts its name in front ("grad: x[1] is a string; expected …"), which namesTransform requires.
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as opsIndex from '../src/ops/index.js';
import {
  DualtapeError, NodeConversionError, OptionError, OutputError, StaleNodeError, grad, hvpOperator, reshape, scalar, stack,
  tensor, type Scalar, type Tensor,
} from '../src/index.js';

type Fn = (...args: unknown[]) => unknown;
const exported = api as unknown as Record<string, Fn>;

// ---------------------------------------------------------------------------------------------------
// Which exports are what. A new export must be added to one of these lists (and, if it can be called
// wrongly, get a case below).
// ---------------------------------------------------------------------------------------------------

const OPS = Object.keys(opsIndex);
const TRANSFORMS = [
  'grad', 'valueAndGrad', 'gradAndHvp', 'hvp', 'hvpOperator', 'hvpMany', 'hessian', 'jvp', 'linearize', 'vjp', 'jacobian', 'ggnvp', 'vmap', 'compile',
  'checkpoint', 'customJvp', 'trace', 'sparseHessian',
];
const UTILITIES = [
  'flatten', 'unflatten', 'dual', 'defineOp', 'setKernelBackend', 'getKernelBackend', 'initKernels', 'traceFrame', 'traceLength', 'formatTrace',
  'formatLane', 'formatNumber', 'toDot', 'checkOptions', 'describeValue', 'nearestName', 'noExtraArguments',
];
const CONSTRUCTORS = ['Scalar', 'Tensor', 'tensor', 'scalar', 'isNode', 'zeros', 'ones', 'full', 'eye', 'arange', 'linspace', 'oneHot',
  'RandomKey', 'randomKey', 'splitKey', 'randomUniform', 'randomNormal'];
const ERROR_CLASSES = [
  'DualtapeError', 'ShapeError', 'StructureError', 'OutputError', 'StaleNodeError', 'NestedTransformError', 'FiniteError', 'TapeBudgetError',
  'ArgumentError', 'NodeConversionError', 'SingularMatrixError', 'NotPositiveDefiniteError', 'BranchChangeError', 'CheckpointError', 'CustomJvpError',
  'ReentrantSweepError', 'OptionError',
];
const CONSTANTS = ['DEFAULT_HESSIAN_LANES', 'D', 'option'];

// ---------------------------------------------------------------------------------------------------
// The catalogue of wrong arguments
// ---------------------------------------------------------------------------------------------------

/** A node of a finished grad call, and one of an hvpOperator (whose tape stays alive for apply). */
let staleNode: Tensor | undefined;
let staleScalar: Scalar | undefined;
grad((x: Tensor) => (staleScalar = (staleNode = x).sum()))([1, 2, 3]);
let operatorNode: Tensor | undefined;
hvpOperator((x: Tensor) => (operatorNode = x.square()).sum(), [1, 2, 3]);

const BAD = {
  undefined: () => undefined,
  null: () => null,
  string: () => 'abc',
  'numeric string': () => '1',
  true: () => true,
  'plain object': () => ({}),
  symbol: () => Symbol('s'),
  bigint: () => 1n,
  function: () => () => 1,
  ragged: () => [[1, 2], [3]],
  NaN: () => NaN,
  Infinity: () => Infinity,
  '-Infinity': () => -Infinity,
  '-1': () => -1,
  '-7': () => -7,
  '1.5': () => 1.5,
  '2^53': () => 2 ** 53,
  Int32Array: () => Int32Array.of(1, 0, 1),
  Float32Array: () => Float32Array.of(0.5, 0.5, 0.5),
  'stale node': () => staleNode,
  "hvpOperator's node": () => operatorNode,
  'scalar node': () => scalar(1),
  '[1, 0, 1]': () => [1, 0, 1],
  '[]': () => [],
  'misspelled option': () => ({ checkfinite: true }),
} satisfies Record<string, () => unknown>;
type Bad = keyof typeof BAD;
const BAD_NAMES = Object.keys(BAD) as Bad[];
const NUMBERS: Bad[] = ['NaN', 'Infinity', '-Infinity', '-1', '-7', '1.5', '2^53'];

// ---------------------------------------------------------------------------------------------------
// Comparing results
// ---------------------------------------------------------------------------------------------------

/** A result as [structure, numbers]: nodes, typed arrays, arrays and objects, in a fixed order. */
function flat(r: unknown, numbers: number[] = []): [string, number[]] {
  let shape: string;
  if (typeof r === 'number') { numbers.push(r); shape = 'n'; }
  else if (r instanceof api.Tensor) { numbers.push(...r.value); shape = `T${r.shape.join('x')}`; }
  else if (r instanceof api.Scalar) { numbers.push(r.value); shape = 'T'; } // a scalar is the rank-0 tensor here
  else if (ArrayBuffer.isView(r)) { numbers.push(...Array.from(r as unknown as ArrayLike<number>)); shape = `A${(r as unknown as ArrayLike<number>).length}`; }
  else if (Array.isArray(r)) shape = `[${r.map((e) => flat(e, numbers)[0]).join(',')}]`;
  else if (r !== null && typeof r === 'object') shape = `{${Object.keys(r).sort().map((k) => `${k}:${flat((r as Record<string, unknown>)[k], numbers)[0]}`).join(',')}}`;
  else shape = String(r);
  return [shape, numbers];
}

/** `expected` may be a plain number[]: then only the numbers (and their count) are compared. */
function expectSameResult(actual: unknown, expected: unknown, what: string): void {
  const [sa, na] = flat(actual);
  const [se, ne] = flat(expected);
  const numbersOnly = Array.isArray(expected) && expected.every((e) => typeof e === 'number');
  if (!numbersOnly) expect(sa, `${what}: structure`).toBe(se);
  expect(na.length, what).toBe(ne.length);
  na.forEach((a, k) => {
    const e = ne[k];
    const ok = Object.is(a, e) || a === e || (Number.isFinite(e) && Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)));
    expect(ok, `${what}[${k}]: got ${a}, expected ${e}`).toBe(true);
  });
}

/** Runs fn, which must throw a DualtapeError whose message names `name`; returns it. */
function expectTypedError(fn: () => unknown, name: string, what: string, names: RegExp = new RegExp(`\\b${name}\\b`)): DualtapeError {
  let result: unknown;
  try {
    result = fn();
  } catch (error) {
    expect(error, `${what}: threw ${String(error)}, not a DualtapeError`).toBeInstanceOf(DualtapeError);
    expect((error as Error).message, `${what}: the message does not name ${name}`).toMatch(names);
    return error as DualtapeError;
  }
  let shown: string;
  try { shown = flat(result)[0]; } catch { shown = typeof result; }
  throw new Error(`${what}: returned ${shown} instead of throwing (not listed as a valid call)`);
}

// ---------------------------------------------------------------------------------------------------
// The ops: a valid call per op, and the misuses that are valid calls with how to check them
// ---------------------------------------------------------------------------------------------------

const v3 = () => tensor([0.2, 0.5, 0.7]);
const pm = () => tensor([-0.5, 0.5]);
const x23 = () => tensor([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]);
const spd = () => tensor([[4, 1], [1, 3]]);
const img = () => tensor(Float64Array.from({ length: 32 }, (_, k) => k / 10), [1, 4, 4, 2]);
/** The function a case calls: the export of that name, or a utility's entry in CALLS (D.mul, …). */
const CALLS: Record<string, Fn> = {};
const callOf = (name: string): Fn => CALLS[name] ?? exported[name];

/**
 * accepts[slot][bad] gives the expected result of the call with that bad value in that slot, computed
 * another way (an equivalent call through another path, or the numbers themselves).
 */
type Accepts = Partial<Record<number, Partial<Record<Bad, (args: unknown[]) => unknown>>>>;
interface OpCase {
  /** A valid call's arguments. */
  readonly args: () => unknown[];
  /** Leading arguments that must be given: each shorter call must throw. */
  readonly required: number;
  readonly accepts?: Accepts;
  /** How many parameters the op has, when args() lists fewer (an optional one left out). */
  readonly arity?: number;
  /** What the messages name, when not the case's name (D.mul's say 'D.mul'). */
  readonly names?: RegExp;
}

/** The call with args[slot] replaced. */
const withArg = (name: string, args: unknown[], slot: number, value: unknown) => {
  const a = [...args];
  a[slot] = value;
  return callOf(name)(...a);
};
/** Each of `bads` in `slot` is the call with `as(bad value)` there instead. */
function same(name: string, slot: number, bads: readonly Bad[], as: (b: unknown) => unknown): Accepts {
  return { [slot]: Object.fromEntries(bads.map((b) => [b, (args: unknown[]) => withArg(name, args, slot, as(BAD[b]()))])) };
}
/** undefined in an optional slot is its default. */
const defaults = (name: string, slotDefaults: Record<number, unknown>): Accepts =>
  Object.fromEntries(Object.entries(slotDefaults).map(([slot, d]) => [slot, { undefined: (args: unknown[]) => withArg(name, args, Number(slot), d) }]));
/** Merges accept tables slot by slot. */
function merge(...tables: Accepts[]): Accepts {
  const out: Record<number, Record<string, unknown>> = {};
  for (const t of tables) for (const [slot, entries] of Object.entries(t)) out[Number(slot)] = { ...out[Number(slot)], ...entries };
  return out as Accepts;
}

const UNARY = [
  'abs', 'acos', 'acosh', 'asin', 'asinh', 'atan', 'atanh', 'cbrt', 'ceil', 'cos', 'cosh', 'digamma', 'erf', 'erfc', 'erfinv', 'exp', 'exp2',
  'expm1', 'floor', 'gelu', 'hardTanh', 'lgamma', 'log', 'log10', 'log1p', 'log2', 'logNdtr', 'logSigmoid', 'logit', 'mish', 'ndtr', 'neg',
  'reciprocal', 'relu', 'relu6', 'round', 'rsqrt', 'selu', 'sigmoid', 'sign', 'silu', 'sin', 'sinc', 'sinh', 'softplus', 'softsign', 'sqrt',
  'square', 'tan', 'tanh', 'trunc', 'isNan', 'isFinite', 'isInf',
];
const BINARY = [
  'add', 'sub', 'mul', 'div', 'pow', 'atan2', 'hypot', 'maximum', 'minimum', 'logAddExp', 'xlogy', 'xlog1py', 'remainder',
  'greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual',
];
/** A scalar node where a node belongs: the op on a tensor of one element, as a scalar. */
const scalarLikeTensor = (name: string, slot: number) => ({
  [slot]: { 'scalar node': (args: unknown[]) => scalar((withArg(name, args, slot, tensor([1])) as Tensor).value[0]) },
});
/** x·keepDims: the result without keepDims, with the reduced axis 1 kept as 1. */
const kept = (name: string, slot: number) => ({
  [slot]: { true: (args: unknown[]) => reshape(withArg(name, args, slot, false) as Tensor, [2, 1]) },
});
const closedFormParam: Record<string, (x: number, p: number) => number> = {
  elu: (x, a) => (x > 0 ? x : a * Math.expm1(x)),
  celu: (x, a) => Math.max(0, x) + Math.min(0, a * Math.expm1(x / a)),
  leakyRelu: (x, s) => (x > 0 ? x : s * x),
};
const clipNumbers = (lo: number, hi: number) => [0.2, 0.5, 0.7].map((x) => Math.min(Math.max(x, lo), hi));
const rollAlong = (t: Tensor, axes: number[]) => axes.reduce((y, a) => api.roll(y, 1, a), t);

const CASES: Record<string, OpCase> = {
  ...Object.fromEntries(UNARY.map((name) => [name, {
    args: () => [v3(), undefined], required: 1,
    accepts: merge(scalarLikeTensor(name, 0), defaults(name, { 1: undefined })),
  }])),
  ...Object.fromEntries(['celu', 'elu', 'leakyRelu'].map((name) => [name, {
    args: () => [pm(), 0.5], required: 1,
    accepts: merge(
      scalarLikeTensor(name, 0),
      defaults(name, { 1: name === 'leakyRelu' ? 0.01 : 1 }),
      // Any finite parameter is valid: checked against the closed form.
      { 1: Object.fromEntries((['-1', '-7', '1.5', '2^53'] as Bad[]).map((b) => [b, () => [-0.5, 0.5].map((x) => closedFormParam[name](x, BAD[b]() as number))])) },
    ),
  }])),
  ...Object.fromEntries(BINARY.map((name) => [name, {
    args: () => [v3(), v3()], required: 2,
    // A number operand is the scalar node of it; [1, 0, 1] the tensor of it; a scalar node the number.
    accepts: merge(
      ...[0, 1].map((slot) => merge(
        same(name, slot, NUMBERS, (b) => scalar(b as number)),
        same(name, slot, ['[1, 0, 1]'], () => tensor([1, 0, 1])),
        same(name, slot, ['scalar node'], () => 1),
      )),
    ),
  }])),
  polygamma: { args: () => [1, v3()], required: 2, accepts: scalarLikeTensor('polygamma', 1) },
  clip: {
    // One bound may be left out (null or undefined: none on that side, NumPy's None).
    args: () => [v3(), 0.3, 0.6], required: 2,
    accepts: {
      0: { 'scalar node': () => scalar(0.6) },
      1: {
        '-Infinity': () => clipNumbers(-Infinity, 0.6), '-1': () => clipNumbers(-1, 0.6), '-7': () => clipNumbers(-7, 0.6), 'scalar node': () => clipNumbers(1, 0.6), '[1, 0, 1]': () => [0.6, 0.5, 0.6],
        undefined: () => clipNumbers(-Infinity, 0.6), null: () => clipNumbers(-Infinity, 0.6),
      },
      2: {
        Infinity: () => clipNumbers(0.3, Infinity), '1.5': () => clipNumbers(0.3, 1.5), '2^53': () => clipNumbers(0.3, 2 ** 53), 'scalar node': () => clipNumbers(0.3, 1), '[1, 0, 1]': () => [0.3, 0, 0.7],
        undefined: () => clipNumbers(0.3, Infinity), null: () => clipNumbers(0.3, Infinity),
      },
    },
  },
  // Reductions: axis −1 is the last axis, [] reduces over no axis (x itself, as NumPy), keepDims true keeps it as 1.
  ...Object.fromEntries(['sum', 'mean', 'max', 'min', 'prod', 'logSumExp'].map((name) => [name, {
    args: () => [x23(), 1, false], required: 1,
    accepts: merge(
      same(name, 1, ['-1'], () => 1), kept(name, 2), defaults(name, { 1: [0, 1], 2: false }),
      { 1: { '[]': () => x23() } },
      name === 'mean' ? { 0: { 'scalar node': () => scalar(1) } } : {},
    ),
  }])),
  median: {
    args: () => [x23(), 1, false], required: 1,
    accepts: merge(same('median', 1, ['-1'], () => 1), kept('median', 2), defaults('median', { 2: false }), { 1: { undefined: () => api.median(reshape(x23(), [6])) } }),
  },
  ...Object.fromEntries(['argmax', 'argmin'].map((name) => [name, {
    args: () => [x23(), 1, false], required: 1,
    accepts: merge(same(name, 1, ['-1'], () => 1), defaults(name, { 2: false }), { 1: { undefined: () => (name === 'argmax' ? 5 : 0) }, 2: { true: () => Int32Array.of(name === 'argmax' ? 2 : 0, name === 'argmax' ? 2 : 0) } }),
  }])),
  ...Object.fromEntries(['std', 'variance'].map((name) => [name, {
    args: () => [x23(), 1, { ddof: 1 }], required: 1,
    accepts: merge(
      same(name, 1, ['-1'], () => 1),
      { 1: { undefined: (args: unknown[]) => exported[name](reshape(args[0] as Tensor, [6]), 0, args[2]) } },
      // true is { keepDims: true }; {} the defaults (ddof 0).
      { 2: { true: (args: unknown[]) => reshape(exported[name](args[0], 1) as Tensor, [2, 1]), 'plain object': (args: unknown[]) => exported[name](args[0], 1, { ddof: 0 }), undefined: (args: unknown[]) => exported[name](args[0], 1, { ddof: 0 }) } },
    ),
  }])),
  quantile: {
    args: () => [x23(), 0.5, 1, false], required: 2,
    accepts: merge(
      same('quantile', 2, ['-1'], () => 1), kept('quantile', 3), defaults('quantile', { 3: false }),
      { 2: { undefined: (args: unknown[]) => api.quantile(reshape(args[0] as Tensor, [6]), 0.5) } },
      // A list of q is one result row per q.
      { 1: Object.fromEntries((['Int32Array', 'Float32Array', '[1, 0, 1]'] as Bad[]).map((b) => [b, (args: unknown[]) =>
        stack(Array.from(BAD[b]() as ArrayLike<number>, (q) => api.quantile(args[0] as Tensor, q, 1)))])) },
      { 1: { '[]': () => tensor(new Float64Array(0), [0, 2]) } },
    ),
  },
  matrixNorm: { args: () => [spd(), 2, false], required: 1, accepts: merge(
    defaults('matrixNorm', { 1: 'fro', 2: false }), same('matrixNorm', 1, ['Infinity', '-Infinity', '-1'], (b) => b),
    { 2: { true: (args: unknown[]) => reshape(withArg('matrixNorm', args, 2, false) as Tensor, [1, 1]) } },
  ) },
  norm: {
    args: () => [x23(), 2, 1, false], required: 1,
    accepts: merge(
      same('norm', 2, ['-1'], () => 1), kept('norm', 3), defaults('norm', { 1: 2, 3: false }),
      { 2: { undefined: (args: unknown[]) => api.norm(reshape(args[0] as Tensor, [6]), args[1] as number), '[]': (args: unknown[]) => api.abs(args[0] as Tensor) } },
      // Any p: (Σ|x|ᵖ)^(1/p), its limits max and min at ±∞.
      { 1: Object.fromEntries((['Infinity', '-Infinity', '-1', '-7', '1.5', '2^53'] as Bad[]).map((b) => [b, () => {
        const p = BAD[b]() as number;
        return [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]].map((row) =>
          p === Infinity || p === 2 ** 53 ? Math.max(...row) : p === -Infinity ? Math.min(...row) : row.reduce((s, x) => s + x ** p, 0) ** (1 / p));
      }])) },
    ),
  },
  ...Object.fromEntries(['softmax', 'logSoftmax'].map((name) => [name, {
    args: () => [x23(), 1], required: 1,
    accepts: merge(same(name, 1, ['-1'], () => 1), defaults(name, { 1: -1 }),
      { 1: { '[]': () => new Array(6).fill(name === 'softmax' ? 1 : 0) } }),
  }])),
  ...Object.fromEntries(['cumsum', 'cumprod'].map((name) => [name, {
    args: () => [x23(), 1], required: 1,
    accepts: merge(same(name, 1, ['-1'], () => 1), { 1: { undefined: (args: unknown[]) => exported[name](reshape(args[0] as Tensor, [6]), 0) } }),
  }])),
  ...Object.fromEntries(['argsort', 'sort'].map((name) => [name, {
    args: () => [x23(), 1, { descending: true }], required: 1,
    accepts: merge(same(name, 1, ['-1'], () => 1), defaults(name, { 1: -1 }), same(name, 2, ['plain object', 'undefined'], () => ({ descending: false }))),
  }])),
  searchSorted: {
    args: () => [v3(), tensor([0.1, 0.6]), { side: 'right' }], required: 2,
    accepts: merge(
      // One number or scalar node is one value; a list of numbers, plain values; an empty sorted array, all 0.
      same('searchSorted', 1, [...NUMBERS, 'scalar node', '[1, 0, 1]', '[]'], (b) => tensor([isNodeValue(b)].flat() as number[])),
      { 0: { '[]': () => Int32Array.of(0, 0) } },
      same('searchSorted', 2, ['plain object', 'undefined'], () => ({ side: 'left' })),
    ),
  },
  interp: {
    args: () => [v3(), tensor([0, 0.4, 1]), tensor([1, 2, 0.5]), { left: 0 }], required: 3,
    accepts: merge(
      // A number or a scalar node is one x (a scalar result); plain lists are data.
      Object.fromEntries([[0, Object.fromEntries(([...NUMBERS, 'scalar node', '[1, 0, 1]', '[]'] as Bad[]).map((b) => [b, (args: unknown[]) => {
        const xs = [isNodeValue(BAD[b]())].flat() as number[];
        const y = api.interp(tensor(xs), args[1] as Tensor, args[2] as Tensor, { left: 0 });
        return b === '[1, 0, 1]' || b === '[]' ? y : y.at(0);
      }]))]]),
      { 2: { '[1, 0, 1]': (args: unknown[]) => api.interp(args[0] as Tensor, args[1] as Tensor, tensor([1, 0, 1]), { left: 0 }) } },
      same('interp', 3, ['plain object', 'undefined'], () => ({})),
    ),
  },
  topK: { args: () => [x23(), 2, 1], required: 2, accepts: merge(same('topK', 2, ['-1', 'undefined'], () => 1)) },
  at: { args: () => [x23(), [1, 2]], required: 2, accepts: same('at', 1, ['-1'], () => [1, 2]) },
  slice: {
    args: () => [x23(), 0, 2, 1, 1], required: 1,
    accepts: merge(
      same('slice', 1, ['null', 'undefined'], () => 0),
      same('slice', 2, ['null', 'undefined'], () => 3),
      same('slice', 2, ['-1'], () => 2),
      same('slice', 3, ['-1'], () => 1),
      defaults('slice', { 3: 0, 4: 1 }),
      { 1: { '-1': () => tensor(new Float64Array(0), [2, 0]) }, 4: { '2^53': () => tensor([[0.1], [0.4]]) } },
    ),
  },
  take: {
    args: () => [x23(), [0, 2], 1], required: 2,
    accepts: merge(
      same('take', 2, ['-1'], () => 1),
      same('take', 1, ['Int32Array'], () => [1, 0, 1]),
      { 1: { '-1': () => [0.3, 0.6], '[1, 0, 1]': () => tensor([[0.2, 0.1, 0.2], [0.5, 0.4, 0.5]]), '[]': () => tensor(new Float64Array(0), [2, 0]) } },
      { 2: { undefined: () => tensor([0.1, 0.3]) } },
    ),
  },
  takeAlongAxis: {
    args: () => [x23(), [0, 1, 2, 2, 1, 0], 1], required: 3,
    accepts: merge(same('takeAlongAxis', 2, ['-1'], () => 1), { 1: { '[]': () => tensor(new Float64Array(0), [2, 0]) } }),
  },
  scatterAdd: {
    args: () => [x23(), [0, 2], tensor([[1, 1], [1, 1]]), 1], required: 3,
    accepts: merge(same('scatterAdd', 2, [...NUMBERS, 'scalar node'], (b) => tensor(new Float64Array(4).fill(isNodeValue(b)), [2, 2])), same('scatterAdd', 3, ['-1'], () => 1)),
  },
  scatterSet: {
    args: () => [x23(), [0, 2], tensor([[1, 1], [1, 1]]), 1], required: 3,
    accepts: merge(same('scatterSet', 2, [...NUMBERS, 'scalar node'], (b) => tensor(new Float64Array(4).fill(isNodeValue(b)), [2, 2])), same('scatterSet', 3, ['-1'], () => 1)),
  },
  reshape: { args: () => [x23(), [3, 2]], required: 2 },
  // A scalar node is a 0-d tensor there (NumPy's broadcast_to of a 0-d array).
  broadcastTo: { args: () => [v3(), [2, 3]], required: 2, accepts: { 0: { 'scalar node': () => api.full([2, 3], 1) } } },
  transpose: { args: () => [x23(), [1, 0]], required: 1, accepts: defaults('transpose', { 1: [1, 0] }) },
  expandDims: { args: () => [x23(), 1], required: 2, accepts: merge(same('expandDims', 1, ['-1'], () => 2), { 1: { '[]': () => x23() } }) },
  squeeze: { args: () => [tensor([[1, 2, 3]]), 0], required: 1, accepts: merge(defaults('squeeze', { 1: 0 }), { 1: { '[]': () => tensor([[1, 2, 3]]) } }) },
  flip: { args: () => [x23(), 1], required: 1, accepts: merge(same('flip', 1, ['-1'], () => 1), defaults('flip', { 1: [0, 1] }), { 1: { '[]': () => x23() } }) },
  roll: {
    args: () => [x23(), 1, 1], required: 2,
    accepts: merge(
      same('roll', 1, ['-1'], () => 2), same('roll', 1, ['-7'], () => 2), same('roll', 1, ['2^53'], () => 2), // 2⁵³ ≡ 2 (mod 3)
      same('roll', 2, ['-1'], () => 1),
      { 2: { undefined: (args: unknown[]) => reshape(api.roll(reshape(args[0] as Tensor, [6]), 1, 0), [2, 3]) } },
      // Repeated axes roll again, as NumPy; no axis rolls nothing.
      { 2: { Int32Array: () => rollAlong(x23(), [1, 0, 1]), '[1, 0, 1]': () => rollAlong(x23(), [1, 0, 1]), '[]': () => x23() } },
    ),
  },
  tile: {
    args: () => [x23(), [2, 1]], required: 2,
    accepts: merge(same('tile', 1, ['Int32Array'], () => [1, 0, 1]), { 1: { '[1, 0, 1]': () => tensor(new Float64Array(0), [1, 0, 3]), '[]': () => x23() } }),
  },
  repeat: {
    args: () => [x23(), 2, 1], required: 2,
    accepts: merge(
      same('repeat', 1, ['Int32Array'], () => [1, 0, 1]), same('repeat', 2, ['-1'], () => 1),
      { 1: { '[1, 0, 1]': () => tensor([[0.1, 0.3], [0.4, 0.6]]) } },
      { 2: { undefined: () => [0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5, 0.5, 0.6, 0.6] } },
    ),
  },
  moveAxis: { args: () => [x23(), 0, 1], required: 3, accepts: merge(same('moveAxis', 1, ['-1'], () => 1), same('moveAxis', 2, ['-1'], () => 1)) },
  swapAxes: { args: () => [x23(), 0, 1], required: 3, accepts: merge(same('swapAxes', 1, ['-1'], () => 1), same('swapAxes', 2, ['-1'], () => 1)) },
  pad: {
    args: () => [v3(), [1, 2], 'constant', 0.5], required: 2,
    accepts: merge(defaults('pad', { 2: 'constant', 3: 0 }), { 3: Object.fromEntries(NUMBERS.map((b) => [b, () => [BAD[b](), 0.2, 0.5, 0.7, BAD[b](), BAD[b]()]])) }),
  },
  split: { args: () => [x23(), [1], 1], required: 2, accepts: merge(same('split', 2, ['-1'], () => 1), defaults('split', { 2: 0 }), { 1: { '[]': () => [x23()] } }) },
  concat: { args: () => [[x23(), x23()], 1], required: 1, accepts: merge(same('concat', 1, ['-1'], () => 1), defaults('concat', { 1: 0 })) },
  stack: { args: () => [[v3(), v3()], 1], required: 1, accepts: merge(same('stack', 1, ['-1'], () => 1), defaults('stack', { 1: 0 })) },
  // Offsets beyond the matrix are valid (an empty diagonal, a zero trace), as NumPy.
  diag: { args: () => [spd(), 0], required: 1, accepts: merge(defaults('diag', { 1: 0 }), { 1: { '-1': () => [1], '-7': () => tensor(new Float64Array(0)), '2^53': () => tensor(new Float64Array(0)) } }) },
  tril: { args: () => [spd(), 0], required: 1, accepts: merge(defaults('tril', { 1: 0 }), { 1: { '-1': () => tensor([[0, 0], [1, 0]]), '-7': () => tensor([[0, 0], [0, 0]]), '2^53': () => spd() } }) },
  triu: { args: () => [spd(), 0], required: 1, accepts: merge(defaults('triu', { 1: 0 }), { 1: { '-1': () => spd(), '-7': () => spd(), '2^53': () => tensor([[0, 0], [0, 0]]) } }) },
  matrixTrace: { args: () => [spd(), 0], required: 1, accepts: merge(defaults('matrixTrace', { 1: 0 }), { 1: { '-1': () => scalar(1), '-7': () => scalar(0), '2^53': () => scalar(0) } }) },
  where: {
    args: () => [[1, 0, 1], v3(), 0], required: 3,
    accepts: merge(
      same('where', 0, ['Int32Array'], () => [1, 0, 1]), same('where', 0, ['Float32Array'], () => [1, 1, 1]),
      same('where', 1, ['scalar node'], () => tensor([1, 1, 1])),
      same('where', 2, [...NUMBERS, 'scalar node'], (b) => tensor(new Float64Array(3).fill(isNodeValue(b)))),
      same('where', 2, ['[1, 0, 1]'], () => tensor([1, 0, 1])),
      { 0: { '[1, 0, 1]': (args: unknown[]) => exported.where(...args) } },
      // One boolean or number is the condition of every element (NumPy's where(True, a, b)); NaN is true.
      same('where', 0, ['true', 'Infinity', '-Infinity', '-1', '-7', '1.5', '2^53', 'NaN'], () => [1, 1, 1]),
    ),
  },
  dot: { args: () => [v3(), v3()], required: 2, accepts: merge(same('dot', 0, ['[1, 0, 1]'], () => tensor([1, 0, 1])), same('dot', 1, ['[1, 0, 1]'], () => tensor([1, 0, 1]))) },
  outer: { args: () => [v3(), v3()], required: 2 },
  matmul: { args: () => [spd(), spd()], required: 2 },
  tensordot: { args: () => [spd(), spd(), 1], required: 2, accepts: defaults('tensordot', { 2: 2 }) },
  einsum: { args: () => ['ij,jk->ik', spd(), spd()], required: 2 },
  solve: { args: () => [spd(), tensor([1, 2])], required: 2 },
  triangularSolve: { args: () => [spd(), tensor([1, 2]), { lower: true }], required: 2, accepts: same('triangularSolve', 2, ['plain object', 'undefined'], () => ({ lower: true })) },
  // A second argument (NumPy's upper, mode, full_matrices) is refused, not dropped: undefined is no argument.
  ...Object.fromEntries(['inv', 'cholesky', 'eigh', 'qr', 'lu', 'svd', 'expm', 'sqrtm', 'logm'].map((name) => [name, { args: () => [spd(), undefined], required: 1, accepts: defaults(name, { 1: undefined }) }])),
  pinv: { args: () => [spd(), { rtol: 1e-15 }], required: 1, accepts: same('pinv', 1, ['plain object', 'undefined'], () => ({ rtol: 1e-15 })) },
  lstsq: { args: () => [spd(), tensor([1, 2]), { rcond: 1e-15 }], required: 2, accepts: same('lstsq', 2, ['plain object', 'undefined'], () => ({ rcond: 1e-15 })) },
  ...Object.fromEntries(['det', 'logDet', 'slogdet'].map((name) => [name, {
    args: () => [spd(), { batched: false }], required: 1, accepts: same(name, 1, ['plain object', 'undefined'], () => ({ batched: false })),
  }])),
  conv2d: {
    args: () => [img(), tensor(new Float64Array(24).fill(0.1), [2, 2, 2, 3]), { stride: 1 }], required: 2,
    accepts: same('conv2d', 2, ['plain object', 'undefined'], () => ({ stride: 1 })),
  },
  conv1d: {
    args: () => [tensor(new Float64Array(8).fill(1), [1, 4, 2]), tensor(new Float64Array(12).fill(0.1), [2, 2, 3]), { stride: 1 }], required: 2,
    accepts: same('conv1d', 2, ['plain object', 'undefined'], () => ({ stride: 1 })),
  },
  ...Object.fromEntries(['maxPool2d', 'avgPool2d'].map((name) => [name, {
    args: () => [img(), 2, { stride: 2 }], required: 2, accepts: same(name, 2, ['plain object', 'undefined'], () => ({ stride: 2 })),
  }])),
  stopGradient: { args: () => [v3()], required: 1, accepts: { 0: { 'scalar node': () => scalar(1) } } },
  diff: {
    args: () => [v3(), 1, -1], required: 1,
    // n any integer ≥ 0 (2⁵³ passes until the axis is empty); axis −1 is the default.
    accepts: merge(defaults('diff', { 1: 1, 2: -1 }), { 1: { '2^53': () => tensor(new Float64Array(0)) }, 2: { '-1': (args: unknown[]) => api.diff(args[0] as Tensor, args[1] as number) } }),
  },
  kron: { args: () => [spd(), v3()], required: 2 },
  cross: {
    args: () => [v3(), tensor([1, -1, 2]), -1], required: 2,
    accepts: merge(defaults('cross', { 2: -1 }), { 2: { '-1': (args: unknown[]) => api.cross(args[0] as Tensor, args[1] as Tensor) } }),
  },
  matrixPower: {
    args: () => [spd(), 2], required: 2,
    // Any integer: negative ones are powers of the inverse, 2⁵³ is 53 squarings (what repeated squaring does).
    accepts: {
      1: {
        '-1': () => api.inv(spd()),
        '-7': () => { const b = api.inv(spd()); const b2 = api.matmul(b, b); return api.matmul(api.matmul(b, b2), api.matmul(b2, b2)); },
        '2^53': () => Array.from({ length: 53 }).reduce<Tensor>((p) => api.matmul(p, p), spd()),
      },
    },
  },
};

/** The number a bad value stands for, where it is accepted as one (a scalar node: 1). */
function isNodeValue(b: unknown): number {
  return b instanceof api.Scalar ? b.value : (b as number);
}

describe('every export is classified', () => {
  it('ops, transforms, utilities, constructors, error classes and constants cover Object.keys(index) exactly', () => {
    const listed = [...OPS, ...TRANSFORMS, ...UTILITIES, ...CONSTRUCTORS, ...ERROR_CLASSES, ...CONSTANTS];
    expect(new Set(listed).size, 'an export is listed twice').toBe(listed.length);
    expect([...listed].sort()).toEqual(Object.keys(api).sort());
  });

  it('every op has a case, and every case is an op', () => {
    expect(Object.keys(CASES).sort()).toEqual([...OPS].sort());
  });

  it('every error class is a DualtapeError', () => {
    for (const name of ERROR_CLASSES) expect(new (exported[name] as unknown as new (m: string) => Error)('m')).toBeInstanceOf(DualtapeError);
  });
});

/** Every position of one case against the whole catalogue. */
function sweep(name: string, { args, required, accepts = {}, names }: OpCase): void {
  expect(() => callOf(name)(...args()), `${name}: the valid call`).not.toThrow();
  for (let k = 0; k < required; k++) expectTypedError(() => callOf(name)(...args().slice(0, k)), name, `${name} with ${k} arguments`, names);
  const n = args().length;
  for (let slot = 0; slot < n; slot++) {
    for (const bad of BAD_NAMES) {
      const what = `${name}: argument ${slot} = ${bad}`;
      const call = () => withArg(name, args(), slot, BAD[bad]());
      const expected = accepts[slot]?.[bad];
      if (expected) expectSameResult(call(), expected(args()), what);
      else expectTypedError(call, name, what, names);
    }
  }
}

describe('ops: every argument position against the catalogue', () => {
  it.each(OPS)('%s', (name) => sweep(name, CASES[name]));
});

/**
 * Arguments past an op's last parameter, which JavaScript would drop: add(a, b, c) as a + b. Each
 * position from the first past the end (earlier ones undefined) must throw a typed error naming the
 * op, for a node and for a number there; and so must the method of the same name, with the node first.
 */
function pastTheEnd(name: string, call: (args: unknown[]) => unknown, args: unknown[], names?: RegExp): void {
  for (let p = args.length; p < args.length + 3; p++) {
    for (const [label, extra] of [['a node', v3()], ['a number', 3]] as const) {
      const padded = [...args, ...Array(p - args.length).fill(undefined), extra];
      expectTypedError(() => call(padded), name, `${name}: ${label} as argument ${p + 1}`, names);
    }
  }
}
/** A case's valid call with every parameter in place (undefined for those args() leaves out). */
const fullArgs = ({ args, arity }: OpCase): unknown[] => {
  const a = args();
  return arity === undefined || arity <= a.length ? a : [...a, ...Array(arity - a.length).fill(undefined)];
};

describe('ops: an argument past the last parameter is refused, not dropped', () => {
  it.each(OPS)('%s', (name) => pastTheEnd(name, (a) => callOf(name)(...a), fullArgs(CASES[name]), CASES[name].names));
});

describe('ops of two operands as the callback of reduce (which passes the index and the array after them)', () => {
  it.each([...BINARY, 'matmul', 'kron', 'outer'])('terms.reduce(%s) is the nested calls, with and without an initial value', (name) => {
    const op = callOf(name);
    // Matrices for the products (a chain of matrix products), vectors for the elementwise ops.
    const square = name === 'matmul';
    const terms = square
      ? [tensor([[0.2, 0.5], [0.1, 0.3]]), tensor([[0.7, 0.3], [0.6, 0.2]]), tensor([[0.4, 0.9], [0.8, 0.5]])]
      : [tensor([0.2, 0.5]), tensor([0.7, 0.3]), tensor([0.4, 0.9])];
    const init = square ? tensor([[1, 2], [3, 4]]) : tensor([1, 1]);
    const nested = op(op(terms[0], terms[1]), terms[2]);
    expect(terms.reduce((a, b) => op(a, b) as Tensor)).toBeDefined();
    expectSameResult(terms.reduce(op as (a: Tensor, b: Tensor) => Tensor), nested, `${name}: reduce(op)`);
    expectSameResult(terms.reduce(op as (a: Tensor, b: Tensor) => Tensor, init), op(op(op(init, terms[0]), terms[1]), terms[2]), `${name}: reduce(op, init)`);
    // Only reduce's exact protocol: an index without the array, or a number and an array, is refused.
    expectTypedError(() => op(terms[0], terms[1], 2), name, `${name}(a, b, 2)`);
    expectTypedError(() => op(terms[0], terms[1], 0.5, terms), name, `${name}(a, b, 0.5, array)`);
    expectTypedError(() => op(terms[0], terms[1], 1, terms, 3), name, `${name}(a, b, 1, array, 3)`);
  });
});

describe('methods: an argument past the last parameter is refused, as by the op of the same name', () => {
  const methods = OPS.filter((name) => CASES[name].args()[0] instanceof api.Tensor && typeof (api.Tensor.prototype as unknown as Record<string, unknown>)[name] === 'function');
  it('most ops have a method', () => expect(methods.length).toBeGreaterThan(100));
  it.each(methods)('x.%s', (name) => {
    const [x, ...rest] = fullArgs(CASES[name]);
    pastTheEnd(name, (a) => (x as unknown as Record<string, Fn>)[name](...a), rest, CASES[name].names);
  });
});

describe('ops: nodes of a finished call name the op, and a typed error, whichever argument holds them', () => {
  it.each(OPS.filter((name) => CASES[name].args().some((a) => a instanceof api.Tensor)))('%s', (name) => {
    const args = CASES[name].args();
    args.forEach((a, slot) => {
      if (!(a instanceof api.Tensor)) return;
      const error = expectTypedError(() => withArg(name, args, slot, staleNode), name, `${name}: argument ${slot} stale`);
      expect(error).toBeInstanceOf(StaleNodeError);
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Transforms and utilities
// ---------------------------------------------------------------------------------------------------

// f = Σx² (so ∇f = 2x, H = 2I) and fv = x² elementwise: every valid misuse of a transform is checked
// against these closed forms at the point and direction it ends up with.
// (On the empty pytree {} they are the constant 0.)
const sq = (x: Tensor | Scalar) => (x instanceof api.Tensor ? api.sum(api.square(x)) : x instanceof api.Scalar ? api.square(x) : 0);
const fv = (x: Tensor | Scalar) => (api.isNode(x) ? api.square(x as Tensor) : 0);
const constant = () => 1;

/** The point of a call: a number, a vector, or the empty pytree {}. */
type Point = number | number[] | Record<string, never>;
/** What the transform returns at x (and v) for f = Σx² (or fv), or for the constant function. */
interface Closed { readonly x: Point; readonly v: Point; readonly constant: boolean }
const isVector = (p: Point): p is number[] => Array.isArray(p);
const vec = (p: Point, g: (a: number) => number): unknown =>
  typeof p === 'number' ? g(p) : isVector(p) ? Float64Array.from(p, g) : {};
const valueAt = ({ x, constant: c }: Closed) => (c ? 1 : typeof x === 'number' ? x * x : isVector(x) ? x.reduce((s, a) => s + a * a, 0) : 0);
const gradAt = (c: Closed) => vec(c.x, (a) => (c.constant ? 0 : 2 * a));
/** customJvp's rule for fv (x²): ẏ = 2x·ẋ; for the constant function (0·x) it is 0·ẋ, and so 2x·ẋ·0 too. */
const squareJvp = (x: Tensor, dx: Tensor, y: Tensor) => api.mul(api.mul(api.mul(x, 2), dx), api.isNode(y) && api.sum(api.abs(y)).value === 0 ? 0 : 1);
const hvpAt = (c: Closed) => vec(c.v, (a) => (c.constant ? 0 : 2 * a));
const sizeOf = (p: Point) => (typeof p === 'number' ? 1 : isVector(p) ? p.length : 0);

interface TransformCase {
  readonly call: Fn;
  /** f, then the other arguments: `args(closed)` builds the call for that point. */
  readonly args: (c: Closed) => unknown[];
  /** The result reduced to numbers (operators and programs are applied). */
  readonly view?: (r: never, c: Closed) => unknown;
  readonly expected: (c: Closed) => unknown;
  readonly required: number;
  /** Slot of x, of v, of the options, of f (the function that may return a constant). */
  readonly slots: { readonly f: number; readonly x?: number; readonly v?: number; readonly options?: number };
  /** The bad values x may take as valid points (their meaning as a Point). */
  readonly xAccepts?: Partial<Record<Bad, Point>>;
  readonly vAccepts?: Partial<Record<Bad, Point>>;
  /**
   * A ragged nested array as x is a pytree (a list of vectors), as documented, not a malformed matrix:
   * the result must equal the call with that list written out.
   */
  readonly raggedIsAList?: boolean;
  /** Another function the messages may name (checkpoint's x reaches the grad around it first). */
  readonly outer?: string;
}

const DEFAULT: Closed = { x: [1, 2, 3], v: [1, 0, 0], constant: false };
const ARRAYS: Partial<Record<Bad, Point>> = { '[1, 0, 1]': [1, 0, 1] };
/** x with no v to match, for the transforms that build the directions themselves. */
const ANY_X_BUT_OBJECTS: Partial<Record<Bad, Point>> = {
  ...Object.fromEntries(NUMBERS.map((b) => [b, BAD[b]() as number])), '[1, 0, 1]': [1, 0, 1], '[]': [], 'scalar node': 1,
};
/** x alone (no v to match): any number, array or the empty pytree; a scalar node at top level is its number. */
const ANY_X: Partial<Record<Bad, Point>> = {
  ...Object.fromEntries(NUMBERS.map((b) => [b, BAD[b]() as number])), '[1, 0, 1]': [1, 0, 1], '[]': [], 'scalar node': 1, 'plain object': {},
};
const applied = (op: api.HvpOperator<never>, c: Closed) => ({ value: op.value, grad: op.grad, size: op.size, Hv: op.apply(c.v as never) });

const TRANSFORM_CASES: Record<string, TransformCase> = {
  grad: {
    raggedIsAList: true,
    call: (fn, o, x) => api.grad(fn as never, o as never)(x as never), args: (c) => [c.constant ? constant : sq, {}, c.x], required: 3,
    expected: gradAt, slots: { f: 0, options: 1, x: 2 }, xAccepts: ANY_X,
  },
  valueAndGrad: {
    raggedIsAList: true,
    call: (fn, o, x) => api.valueAndGrad(fn as never, o as never)(x as never), args: (c) => [c.constant ? constant : sq, {}, c.x], required: 3,
    expected: (c) => ({ value: valueAt(c), grad: gradAt(c) }), slots: { f: 0, options: 1, x: 2 }, xAccepts: ANY_X,
  },
  gradAndHvp: {
    call: api.gradAndHvp as Fn, args: (c) => [c.constant ? constant : sq, c.x, c.v, {}], required: 3,
    expected: (c) => ({ value: valueAt(c), grad: gradAt(c), hvp: hvpAt(c) }), slots: { f: 0, x: 1, v: 2, options: 3 }, xAccepts: ARRAYS, vAccepts: ARRAYS,
  },
  hvp: {
    call: api.hvp as Fn, args: (c) => [c.constant ? constant : sq, c.x, c.v, {}], required: 3,
    expected: hvpAt, slots: { f: 0, x: 1, v: 2, options: 3 }, xAccepts: ARRAYS, vAccepts: ARRAYS,
  },
  trace: {
    call: api.trace as Fn, args: (c) => [c.constant ? constant : sq, c.x, c.v, {}], required: 3,
    view: (t: api.Trace, _c) => ({ value: t.value, grad: t.grad, hvp: t.hvp }),
    expected: (c) => ({ value: valueAt(c), grad: gradAt(c), hvp: hvpAt(c) }), slots: { f: 0, x: 1, v: 2, options: 3 }, xAccepts: ARRAYS, vAccepts: ARRAYS,
  },
  hvpOperator: {
    call: api.hvpOperator as Fn, args: (c) => [c.constant ? constant : sq, c.x, {}], required: 2,
    view: (op: api.HvpOperator<never>, c) => applied(op, { ...c, v: c.x }),
    expected: (c) => ({ value: valueAt(c), grad: gradAt(c), size: sizeOf(c.x), Hv: hvpAt({ ...c, v: c.x }) }),
    slots: { f: 0, x: 1, options: 2 }, xAccepts: { '[1, 0, 1]': [1, 0, 1], '[]': [], 'plain object': {} },
  },
  hvpMany: {
    raggedIsAList: true,
    call: api.hvpMany as Fn, args: (c) => [c.constant ? constant : sq, c.x, Float64Array.from(c.v as number[]), {}], required: 3,
    expected: hvpAt, slots: { f: 0, x: 1, options: 3 }, xAccepts: { ...ANY_X_BUT_OBJECTS, '[]': undefined },
  },
  hessian: {
    raggedIsAList: true,
    call: api.hessian as Fn, args: (c) => [c.constant ? constant : sq, c.x, {}], required: 2,
    expected: (c) => { const n = sizeOf(c.x); return Float64Array.from({ length: n * n }, (_, k) => (!c.constant && k % (n + 1) === 0 ? 2 : 0)); },
    slots: { f: 0, x: 1, options: 2 }, xAccepts: { ...ANY_X_BUT_OBJECTS, 'plain object': {} },
  },
  sparseHessian: {
    raggedIsAList: true,
    call: api.sparseHessian as Fn, args: (c) => [c.constant ? constant : sq, c.x, {}], required: 2,
    view: (h: api.SparseHessian, _c) => ({ n: h.n, dense: Array.from({ length: h.n * h.n }, (_, k) => h.values.reduce((s, val, e) => s + (h.rows[e] * h.n + h.cols[e] === k ? val : 0), 0)) }),
    expected: (c) => { const n = sizeOf(c.x); return { n, dense: Array.from({ length: n * n }, (_, k) => (!c.constant && k % (n + 1) === 0 ? 2 : 0)) }; },
    slots: { f: 0, x: 1, options: 2 }, xAccepts: { ...ANY_X_BUT_OBJECTS, 'plain object': {} },
  },
  compile: {
    call: api.compile as Fn, args: (c) => [c.constant ? constant : sq, c.x, {}], required: 2,
    view: (p: api.Program<never>, c) => p.valueAndGrad(c.x as never),
    expected: (c) => ({ value: valueAt(c), grad: gradAt(c) }), slots: { f: 0, x: 1, options: 2 }, xAccepts: { '[1, 0, 1]': [1, 0, 1], '[]': [], 'plain object': {} },
  },
  jvp: {
    call: api.jvp as Fn, args: (c) => [c.constant ? constant : fv, c.x, c.v, {}], required: 3,
    expected: (c) => (c.constant ? { value: 1, tangent: 0 } : { value: vec(c.x, (a) => a * a), tangent: Float64Array.from(c.x as number[], (a, k) => 2 * a * (c.v as number[])[k]) }),
    slots: { f: 0, x: 1, v: 2, options: 3 }, xAccepts: ARRAYS, vAccepts: ARRAYS,
  },
  linearize: {
    // Its jvp applied to v: the tangent jvp(f, x, v) gives.
    call: api.linearize as Fn, args: (c) => [c.constant ? constant : fv, c.x, {}], required: 2,
    view: (r: { value: unknown; jvp: (v: unknown) => unknown }, c) => ({ value: r.value, tangent: r.jvp(c.v) }),
    expected: (c) => (c.constant ? { value: 1, tangent: 0 } : { value: vec(c.x, (a) => a * a), tangent: Float64Array.from(c.x as number[], (a, k) => 2 * a * (c.v as number[])[k]) }),
    slots: { f: 0, x: 1, options: 2 }, xAccepts: ARRAYS,
  },
  vjp: {
    raggedIsAList: true,
    call: api.vjp as Fn, args: (c) => [c.constant ? constant : fv, c.x, {}], required: 2,
    // The pullback of ones (1 for a scalar output): 2x.
    view: (r: { value: number | Float64Array; pullback: (u: unknown) => unknown }) =>
      ({ value: r.value, pulled: r.pullback(typeof r.value === 'number' ? 1 : new Float64Array(r.value.length).fill(1)) }),
    expected: (c) => ({ value: c.constant ? 1 : typeof c.x === 'object' && !isVector(c.x) ? 0 : vec(c.x, (a) => a * a), pulled: gradAt(c) }),
    slots: { f: 0, x: 1, options: 2 }, xAccepts: ANY_X,
  },
  jacobian: {
    raggedIsAList: true,
    call: api.jacobian as Fn, args: (c) => [c.constant ? constant : fv, c.x, {}], required: 2,
    expected: (c) => {
      if (c.constant) return new Float64Array(sizeOf(c.x));
      const x = typeof c.x === 'number' ? [c.x] : (c.x as number[]);
      return Float64Array.from({ length: x.length * x.length }, (_, k) => (k % (x.length + 1) === 0 ? 2 * x[k / (x.length + 1)] : 0));
    },
    slots: { f: 0, x: 1, options: 2 }, xAccepts: ANY_X,
  },
  ggnvp: {
    // A linear loss has H_L = 0: G·v = 0, whatever the model (and a constant loss too).
    call: api.ggnvp as Fn, args: (c) => [fv, c.constant ? constant : (z: Tensor) => api.sum(z), c.x, c.v, {}], required: 4,
    expected: (c) => vec(c.x, () => 0), slots: { f: 1, x: 2, v: 3, options: 4 }, xAccepts: ARRAYS, vAccepts: ARRAYS,
  },
  vmap: {
    call: (fn, o, xs) => api.vmap(fn as never, o as never)(xs as never), args: (c) => [c.constant ? constant : (r: number) => r * r, {}, c.x], required: 3,
    expected: (c) => vec(c.x, (a) => (c.constant ? 1 : a * a)), slots: { f: 0, options: 1, x: 2 }, xAccepts: { '[1, 0, 1]': [1, 0, 1] },
  },
  checkpoint: {
    outer: 'grad',
    call: (fn, x) => api.grad((t: Tensor) => api.sum(api.checkpoint(fn as (x: Tensor) => Tensor)(t)))(x as never), args: (c) => [c.constant ? (t: Tensor) => api.mul(t, 0) : fv, c.x], required: 2,
    expected: gradAt, slots: { f: -1, x: 1 }, xAccepts: ANY_X_BUT_OBJECTS,
  },
  customJvp: {
    outer: 'grad',
    call: (fn, x) => api.grad((t: Tensor) => api.sum(api.customJvp(fn as (x: Tensor) => Tensor, squareJvp)(t)))(x as never),
    args: (c) => [c.constant ? (t: Tensor) => api.mul(t, 0) : fv, c.x], required: 2,
    expected: gradAt, slots: { f: -1, x: 1 }, xAccepts: ANY_X_BUT_OBJECTS,
  },
};

/** What a transform's error must name: itself, or (the shared structure errors) the argument path x, v, u, xs. */
const namesTransform = (name: string, outer = name) => new RegExp(`\\b${name}\\b|^${outer}\\b`);

describe('transforms: every argument position against the catalogue', () => {
  it.each(TRANSFORMS)('%s', (name) => {
    const t = TRANSFORM_CASES[name];
    const run = (c: Closed, slot?: number, bad?: Bad) => {
      const args = t.args(c);
      if (slot !== undefined && bad !== undefined) args[slot] = BAD[bad]();
      const r = t.call(...args);
      return t.view ? t.view(r as never, c) : r;
    };
    expectSameResult(run(DEFAULT), t.expected(DEFAULT), `${name}: the valid call`);
    expectSameResult(run({ ...DEFAULT, constant: true }), t.expected({ ...DEFAULT, constant: true }), `${name}: a constant f`);
    for (let k = 0; k < t.required; k++) expectTypedError(() => t.call(...t.args(DEFAULT).slice(0, k)), name, `${name} with ${k} arguments`, namesTransform(name, t.outer));
    const n = t.args(DEFAULT).length;
    for (let slot = 0; slot < n; slot++) {
      for (const bad of BAD_NAMES) {
        const what = `${name}: argument ${slot} = ${bad}`;
        if (slot === t.slots.f && bad === 'function') {
          // () => 1 where f belongs: a valid constant function.
          expectSameResult(run(DEFAULT, slot, bad), t.expected({ ...DEFAULT, constant: true }), what);
        } else if (slot === t.slots.options && (bad === 'undefined' || bad === 'plain object')) {
          expectSameResult(run(DEFAULT, slot, bad), t.expected(DEFAULT), what);
        } else if (slot === t.slots.x && t.xAccepts?.[bad] !== undefined) {
          const c = { ...DEFAULT, x: t.xAccepts[bad] as Point };
          expectSameResult(run(c, slot, bad), t.expected(c), what);
        } else if (slot === t.slots.x && bad === 'ragged' && t.raggedIsAList) {
          const list = [Float64Array.of(1, 2), Float64Array.of(3)];
          const args = t.args(DEFAULT);
          args[slot] = list;
          const listed = t.call(...args);
          expectSameResult(run(DEFAULT, slot, bad), t.view ? t.view(listed as never, DEFAULT) : listed, what);
        } else if (slot === t.slots.v && t.vAccepts?.[bad] !== undefined) {
          const c = { ...DEFAULT, v: t.vAccepts[bad] as Point };
          expectSameResult(run(c, slot, bad), t.expected(c), what);
        } else {
          expectTypedError(() => run(DEFAULT, slot, bad), name, what, namesTransform(name, t.outer));
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Utilities
// ---------------------------------------------------------------------------------------------------

const { D, dual } = api;
const DUAL_2 = ['add', 'sub', 'mul', 'div'] as const;
const DUAL_1 = ['neg', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tanh', 'log1p', 'sigmoid', 'softplus'] as const;
for (const fn of [...DUAL_2, ...DUAL_1, 'scale', 'pow', 'lift', 'constant'] as const) CALLS[`D.${fn}`] = D[fn] as Fn;
CALLS['traceFrame'] = api.traceFrame as Fn;
const numbersAs = (slot: number, expected: (b: number) => unknown): Accepts =>
  ({ [slot]: Object.fromEntries(NUMBERS.map((b) => [b, () => expected(BAD[b]() as number)])) });
const pytree = () => ({ a: [1, 2], b: 3 });
const traced = () => api.trace(sq as never, [1, 2, 3], [1, 0, 0]);
const lane = () => traced().rows[1].value;

const UTILITY_CASES: Record<string, OpCase> = {
  ...Object.fromEntries(DUAL_2.map((fn) => [`D.${fn}`, { args: () => [dual(1, 2), dual(3, 4)], required: 2, names: new RegExp(`^D\\.${fn}:`) }])),
  ...Object.fromEntries(DUAL_1.map((fn) => [`D.${fn}`, { args: () => [dual(0.5, 2)], required: 1, names: new RegExp(`^D\\.${fn}:`) }])),
  // d(1, 2): scale by s is (s, 2s); 1ᵖ has derivative p, so (1, 2p); lift(y, y′) is (y, 2y′).
  'D.scale': { args: () => [dual(1, 2), 3], required: 2, names: /^D\.scale:/, accepts: numbersAs(1, (s) => ({ value: s, tangent: 2 * s })) },
  'D.pow': { args: () => [dual(1, 2), 3], required: 2, names: /^D\.pow:/, accepts: numbersAs(1, (p) => ({ value: 1 ** p, tangent: p === 0 ? 0 : p * 1 ** (p - 1) * 2 })) },
  'D.lift': {
    args: () => [dual(1, 2), 5, 7], required: 3, names: /^D\.lift:/,
    accepts: merge(numbersAs(1, (y) => ({ value: y, tangent: 14 })), numbersAs(2, (d) => ({ value: 5, tangent: 2 * d }))),
  },
  'D.constant': { args: () => [3], required: 1, names: /^D\.constant:/, accepts: numbersAs(0, (v) => ({ value: v, tangent: 0 })) },
  dual: {
    args: () => [1, 2], required: 1,
    accepts: merge(numbersAs(0, (v) => ({ value: v, tangent: 2 })), numbersAs(1, (t) => ({ value: 1, tangent: t })), { 1: { undefined: () => ({ value: 1, tangent: 0 }) } }),
  },
  flatten: {
    args: () => [pytree()], required: 1, names: /^flatten\b|^x\b|^a node cannot be flattened/,
    // Any pytree: {} is empty, a ragged array a list of vectors, a number a leaf.
    accepts: merge(numbersAs(0, (v) => Float64Array.of(v)), { 0: { 'plain object': () => new Float64Array(0), ragged: () => Float64Array.of(1, 2, 3), '[1, 0, 1]': () => Float64Array.of(1, 0, 1), '[]': () => new Float64Array(0) } }),
  },
  unflatten: {
    args: () => [pytree(), [4, 5, 6]], required: 2, names: /^unflatten\b|^x\b|^a node cannot be flattened/,
    accepts: {
      0: { ragged: () => [Float64Array.of(4, 5), Float64Array.of(6)], '[1, 0, 1]': () => Float64Array.of(4, 5, 6) },
      1: {
        Int32Array: () => ({ a: Float64Array.of(1, 0), b: 1 }), '[1, 0, 1]': () => ({ a: Float64Array.of(1, 0), b: 1 }),
        Float32Array: () => ({ a: Float64Array.of(0.5, 0.5), b: 0.5 }),
      },
    },
  },
  tensor: { args: () => [[1, 2, 3, 4], [2, 2]], required: 1, accepts: { 1: { undefined: () => tensor(Float64Array.of(1, 2, 3, 4)) } } },
  // A shape is any list of non-negative integers, a typed array too ([] is 0-d).
  // A seed is any safe integer; shapes are integer lists (a typed array too, [] is 0-d).
  randomKey: { args: () => [0], required: 1, accepts: same('randomKey', 0, ['-1', '-7'], (b) => b) },
  splitKey: { args: () => [api.randomKey(0), 2], required: 1, accepts: defaults('splitKey', { 1: 2 }) },
  randomUniform: {
    args: () => [api.randomKey(0), [2], { min: 0, max: 1 }], required: 2,
    accepts: merge(
      same('randomUniform', 1, ['Int32Array', '[1, 0, 1]'], () => [1, 0, 1]), { 1: { '[]': () => api.randomUniform(api.randomKey(0), []) } },
      same('randomUniform', 2, ['undefined', 'plain object'], () => ({})),
    ),
  },
  randomNormal: {
    args: () => [api.randomKey(0), [2]], required: 2,
    accepts: merge(same('randomNormal', 1, ['Int32Array', '[1, 0, 1]'], () => [1, 0, 1]), { 1: { '[]': () => api.randomNormal(api.randomKey(0), []) } }),
  },
  oneHot: {
    args: () => [[1, 0, 1], 2], required: 2,
    // Indices are integer lists, a typed array too; n a count above the largest index.
    accepts: merge(same('oneHot', 0, ['Int32Array', '[1, 0, 1]'], () => [1, 0, 1]), { 0: { '[]': () => tensor(new Float64Array(0), [0, 2]) } }),
  },
  zeros: { args: () => [[2, 1]], required: 1, accepts: merge(same('zeros', 0, ['Int32Array', '[1, 0, 1]'], () => [1, 0, 1]), { 0: { '[]': () => scalar(0) } }) },
  ones: { args: () => [[2, 1]], required: 1, accepts: merge(same('ones', 0, ['Int32Array', '[1, 0, 1]'], () => [1, 0, 1]), { 0: { '[]': () => scalar(1) } }) },
  full: {
    args: () => [[2], 0.5], required: 2,
    accepts: merge(
      same('full', 0, ['Int32Array', '[1, 0, 1]'], () => [1, 0, 1]), { 0: { '[]': () => scalar(0.5) } },
      { 1: Object.fromEntries(NUMBERS.map((b) => [b, () => [BAD[b](), BAD[b]()]])) },
    ),
  },
  eye: {
    args: () => [2, 3, 1], required: 1,
    // k is any integer (a diagonal outside the matrix gives zeros); m defaults to n, k to 0.
    accepts: merge(defaults('eye', { 1: 2, 2: 0 }), { 2: Object.fromEntries((['-1', '-7', '2^53'] as Bad[]).map((b) => [b, () => api.eye(2, 3, BAD[b]() as number)])) }),
  },
  arange: {
    args: () => [1, 2, 0.5], required: 1,
    accepts: merge(
      // arange(start) alone counts to start; any finite step; stop below start gives nothing.
      defaults('arange', { 1: undefined, 2: 1 }),
      { 0: Object.fromEntries((['-1', '-7', '1.5', '2^53'] as Bad[]).map((b) => [b, () => api.arange(BAD[b]() as number, 2, 0.5)])) },
      { 1: Object.fromEntries((['-1', '-7', '1.5'] as Bad[]).map((b) => [b, () => api.arange(1, BAD[b]() as number, 0.5)])) },
      { 2: Object.fromEntries((['-1', '-7', '1.5', '2^53'] as Bad[]).map((b) => [b, () => api.arange(1, 2, BAD[b]() as number)])) },
    ),
  },
  linspace: {
    args: () => [0, 1, 3, { endpoint: true }], required: 2,
    accepts: merge(
      defaults('linspace', { 2: 50, 3: {} }),
      same('linspace', 3, ['plain object'], () => ({})),
      // start and stop are any numbers (NaN and ±∞ spread as IEEE arithmetic does).
      ...[0, 1].map((slot) => ({ [slot]: Object.fromEntries(NUMBERS.map((b) => [b, (args: unknown[]) => { const a = [...args]; a[slot] = BAD[b](); return api.linspace(...(a as [number, number, number])); }])) })),
    ),
  },
  scalar: { args: () => [2], required: 1, accepts: numbersAs(0, (v) => [v]) },
  traceFrame: { args: () => [traced(), 1], required: 2 },
  traceLength: { args: () => [traced()], required: 1 },
  formatTrace: { args: () => [traced(), {}], required: 1, accepts: same('formatTrace', 1, ['undefined', 'plain object'], () => ({})) },
  toDot: { args: () => [traced(), {}], required: 1, accepts: same('toDot', 1, ['undefined', 'plain object'], () => ({})) },
  formatLane: {
    args: () => [lane(), {}], required: 1,
    // A lane is a number or a Float64Array: a number reads as formatNumber does.
    accepts: merge(same('formatLane', 1, ['undefined', 'plain object'], () => ({})), numbersAs(0, (v) => api.formatNumber(v))),
  },
  formatNumber: {
    args: () => [1.5, 3], required: 1,
    accepts: merge({ 0: { NaN: () => 'NaN', Infinity: () => 'Infinity', '-Infinity': () => '-Infinity', '-1': () => '-1', '-7': () => '-7', '1.5': () => '1.5', '2^53': () => '9.01e15' } },
      { 1: { undefined: () => '1.5' } }),
  },
  checkOptions: {
    args: () => ['fn', {}, { a: api.option.number() }], required: 3, names: /^(checkOptions|fn):/, // errors about options name the caller's fn
    // fn is any name; options left out or empty are {}.
    // fn is any name; options left out or empty are {}. The spec's rules are read for the keys given
    // (an author's helper, checked lazily): with no options any object passes.
    accepts: merge(
      same('checkOptions', 0, ['string', 'numeric string'], () => 'fn'), same('checkOptions', 1, ['undefined', 'plain object'], () => ({})),
      { 2: Object.fromEntries((['plain object', 'ragged', 'Int32Array', 'Float32Array', 'stale node', "hvpOperator's node", 'scalar node', '[1, 0, 1]', '[]', 'misspelled option'] as Bad[]).map((b) => [b, () => ({})])) },
    ),
  },
  noExtraArguments: {
    // f(a, b) called with two arguments: nothing past the end, so nothing to refuse.
    args: () => ['f', [1, 2], 2, 'f(a, b)', 'nest the calls', (m: string) => new api.ArgumentError(m)], required: 4,
    // A given with a third element that is not undefined is refused in f's name, as the check is for.
    names: /^(noExtraArguments|f):/,
    // opName and usage are any strings, hint any string or nothing, makeError any function (it is
    // only called to throw); a given of at most two elements has nothing past the end.
    accepts: {
      0: { string: () => undefined, 'numeric string': () => undefined },
      1: { ragged: () => undefined, '[]': () => undefined },
      3: { string: () => undefined, 'numeric string': () => undefined },
      4: { undefined: () => undefined, string: () => undefined, 'numeric string': () => undefined },
      5: { undefined: () => undefined, function: () => undefined },
    },
  },
  nearestName: { args: () => ['tol', ['tolerance']], required: 2, accepts: { 0: { string: () => null, 'numeric string': () => null }, 1: { '[]': () => null } } },
  defineOp: {
    args: () => [{ name: 'cube', primal: (x: number) => x ** 3, partials: (o: api.Algebra, [x]: readonly api.Value[]) => [o.mul(3, o.mul(x, x))] }], required: 1,
  },
  setKernelBackend: { args: () => ['js', {}], required: 1, accepts: same('setKernelBackend', 1, ['undefined', 'plain object'], () => ({})) },
};

describe('utilities: every argument position against the catalogue', () => {
  it.each(Object.keys(UTILITY_CASES))('%s', (name) => {
    try {
      sweep(name, UTILITY_CASES[name]);
    } finally {
      api.setKernelBackend('auto');
    }
  });

  it('every function-valued utility export and every D function has a case, or is checked below', () => {
    const checkedBelow = ['describeValue', 'getKernelBackend', 'initKernels'];
    const cased = [
      ...UTILITIES.filter((u) => !checkedBelow.includes(u)), ...Object.keys(D).map((k) => `D.${k}`), 'tensor', 'scalar',
      'zeros', 'ones', 'full', 'eye', 'arange', 'linspace', 'oneHot', 'randomKey', 'splitKey', 'randomUniform', 'randomNormal',
    ];
    expect(cased.sort()).toEqual(Object.keys(UTILITY_CASES).sort());
  });

  it('describeValue takes anything and names it; isNode is true for nodes only (stale ones too), false for everything else', () => {
    for (const bad of BAD_NAMES) {
      const v = BAD[bad]();
      expect(typeof api.describeValue(v), bad).toBe('string');
      expect(api.isNode(v), bad).toBe(bad === 'stale node' || bad === "hvpOperator's node" || bad === 'scalar node');
    }
    expect(api.describeValue(staleNode)).toBe('a tensor node');
  });

  it('getKernelBackend takes no arguments and initKernels no more than its options (checked in kernels-backends.test.ts); both report the backend', async () => {
    expect(api.getKernelBackend().backend).toBe('auto');
    await api.initKernels();
    expect(api.getKernelBackend().maxThreads).toBeGreaterThanOrEqual(1);
  });

  it('new Tensor(…) and new Scalar(…) say to use tensor() and scalar() (a TypeError inside, or a broken node, before)', () => {
    for (const bad of BAD_NAMES) {
      expectTypedError(() => new (api.Tensor as unknown as new (...a: unknown[]) => unknown)(BAD[bad]()), 'Tensor', `new Tensor(${bad})`, /^new Tensor\(…\).*tensor\(data, shape\)/);
      expectTypedError(() => new (api.Scalar as unknown as new (...a: unknown[]) => unknown)(BAD[bad]()), 'Scalar', `new Scalar(${bad})`, /^new Scalar\(…\).*scalar\(value\)/);
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Misuse inside f: JS operators on nodes, results that are not what the transform needs, f that throws
// ---------------------------------------------------------------------------------------------------

/** Each transform, calling `body` on a scalar node of x (the rest of f is Σx, so f is valid without it). */
const INSIDE: Record<string, (body: (s: Scalar) => unknown) => unknown> = {
  grad: (b) => api.grad((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); })([1, 2, 3]),
  valueAndGrad: (b) => api.valueAndGrad((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); })([1, 2, 3]),
  gradAndHvp: (b) => api.gradAndHvp((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); }, [1, 2, 3], [1, 0, 0]),
  hvp: (b) => api.hvp((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); }, [1, 2, 3], [1, 0, 0]),
  hvpOperator: (b) => api.hvpOperator((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); }, [1, 2, 3]),
  hvpMany: (b) => api.hvpMany((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); }, [1, 2, 3], Float64Array.of(1, 0, 0)),
  hessian: (b) => api.hessian((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); }, [1, 2, 3]),
  jvp: (b) => api.jvp((x: Tensor) => { b(api.at(x, 0)); return x; }, [1, 2, 3], [1, 0, 0]),
  linearize: (b) => api.linearize((x: Tensor) => { b(api.at(x, 0)); return x; }, [1, 2, 3]),
  vjp: (b) => api.vjp((x: Tensor) => { b(api.at(x, 0)); return x; }, [1, 2, 3]),
  jacobian: (b) => api.jacobian((x: Tensor) => { b(api.at(x, 0)); return x; }, [1, 2, 3]),
  ggnvp: (b) => api.ggnvp((x: Tensor) => x, (z: Tensor) => { b(api.at(z, 0)); return api.sum(z); }, [1, 2, 3], [1, 0, 0]),
  vmap: (b) => api.grad((w: Tensor) => api.sum(api.vmap((r: number[]) => { b(api.at(w, 0)); return api.dot(w, r); })([[1, 2, 3]]) as Tensor))([1, 2, 3]),
  compile: (b) => api.compile((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); }, [1, 2, 3]),
  checkpoint: (b) => api.grad((x: Tensor) => api.sum(api.checkpoint((t: Tensor) => { b(api.at(t, 0)); return t; })(x)))([1, 2, 3]),
  customJvp: (b) => api.grad((x: Tensor) => api.sum(api.customJvp((t: Tensor) => { b(api.at(t, 0)); return t; }, (_t: Tensor, dt: Tensor) => dt)(x)))([1, 2, 3]),
  trace: (b) => api.trace((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); }, [1, 2, 3], [1, 0, 0]),
  sparseHessian: (b) => api.sparseHessian((x: Tensor) => { b(api.at(x, 0)); return api.sum(x); }, [1, 2, 3]),
};

/* eslint-disable @typescript-eslint/no-explicit-any */
const JS_OPERATORS: Array<[string, (s: any, t: any) => unknown]> = [
  ['x + 1', (s) => s + 1], ['1 + x', (s) => 1 + s], ['x * y', (s, t) => s * t], ['x - 1', (s) => s - 1], ['x / 2', (s) => s / 2], ['x ** 2', (s) => s ** 2],
  ['x % 2', (s) => s % 2], ['-x', (s) => -s], ['+x', (s) => +s], ['x | 0', (s) => s | 0], ['~x', (s) => ~s],
  ['`${x}`', (s) => `${s}`], ["'' + x", (s) => '' + s], ['String(x)', (s) => String(s)], ['[x].join()', (s) => [s].join()],
  ['x > 0', (s) => s > 0], ['x <= y', (s, t) => s <= t], ['x == 1', (s) => s == 1], // eslint-disable-line eqeqeq
  ['Math.sin(x)', (s) => Math.sin(s)], ['Math.max(x, 0)', (s) => Math.max(s, 0)], ['Number(x)', (s) => Number(s)], ['isNaN(x)', (s) => isNaN(s)],
  ['Float64Array.of(x)', (s) => Float64Array.of(s)], ['JSON.stringify(x)', (s) => JSON.stringify({ s })],
];
/* eslint-enable @typescript-eslint/no-explicit-any */

describe('JS operators on nodes inside every transform: a NodeConversionError naming the op to use', () => {
  it.each(TRANSFORMS)('%s', (name) => {
    expect(() => INSIDE[name](() => undefined), `${name}: f without the misuse`).not.toThrow();
    for (const [label, misuse] of JS_OPERATORS) {
      let caught: unknown;
      try { INSIDE[name]((s) => misuse(s, s)); } catch (error) { caught = error; }
      expect(caught, `${name}: ${label}`).toBeInstanceOf(NodeConversionError);
      expect((caught as Error).message, `${name}: ${label}`).toMatch(/x\.value|use the ops/);
    }
  });
});

/** f's results that a transform wanting a scalar cannot use, and what is valid instead (a number: a constant). */
const WRONG_RESULTS: Array<[string, (x: Tensor) => unknown]> = [
  ['undefined', () => undefined], ['null', () => null], ['a string', () => '1'], ['a boolean', () => true], ['a bigint', () => 1n],
  ['a plain object', (x) => ({ y: api.sum(x) })], ['an array of nodes', (x) => [api.sum(x)]], ['a Float64Array', () => new Float64Array(1)],
  ['a promise', async (x) => api.sum(x)], ['a stale node', () => staleScalar], ["an hvpOperator's node", () => operatorNode],
];
const SCALAR_F: Record<string, (f: (x: Tensor) => unknown) => unknown> = {
  grad: (f) => api.grad(f as never)([1, 2, 3]), valueAndGrad: (f) => api.valueAndGrad(f as never)([1, 2, 3]),
  gradAndHvp: (f) => api.gradAndHvp(f as never, [1, 2, 3], [1, 0, 0]), hvp: (f) => api.hvp(f as never, [1, 2, 3], [1, 0, 0]),
  hvpOperator: (f) => api.hvpOperator(f as never, [1, 2, 3]), hvpMany: (f) => api.hvpMany(f as never, [1, 2, 3], Float64Array.of(1, 0, 0)),
  hessian: (f) => api.hessian(f as never, [1, 2, 3]), compile: (f) => api.compile(f as never, [1, 2, 3]),
  trace: (f) => api.trace(f as never, [1, 2, 3], [1, 0, 0]), sparseHessian: (f) => api.sparseHessian(f as never, [1, 2, 3]),
  'ggnvp (loss)': (f) => api.ggnvp((x: Tensor) => x, f as never, [1, 2, 3], [1, 0, 0]),
};
/** The transforms of ANY_F that take a tree (an array or a plain object) of outputs. */
const TREE_OUTPUTS = new Set(['jvp', 'vjp', 'linearize', 'jacobian']);
const ANY_F: Record<string, (f: (x: Tensor) => unknown) => unknown> = {
  jvp: (f) => api.jvp(f as never, [1, 2, 3], [1, 0, 0]), vjp: (f) => api.vjp(f as never, [1, 2, 3]), jacobian: (f) => api.jacobian(f as never, [1, 2, 3]),
  linearize: (f) => api.linearize(f as never, [1, 2, 3]),
  'ggnvp (model)': (f) => api.ggnvp(f as never, (z: Tensor) => api.sum(z), [1, 2, 3], [1, 0, 0]),
  checkpoint: (f) => api.grad((x: Tensor) => api.sum(api.checkpoint(f as (x: Tensor) => Tensor)(x)))([1, 2, 3]),
  customJvp: (f) => api.grad((x: Tensor) => api.sum(api.customJvp(f as (x: Tensor) => Tensor, (_t: Tensor, dt: Tensor) => dt)(x)))([1, 2, 3]),
};

describe('f returning what the transform cannot use, or throwing', () => {
  it.each(Object.keys(SCALAR_F))('%s: a tensor, or anything but a scalar node or a number, is an OutputError (or a StaleNodeError)', (name) => {
    const transform = name.split(' ')[0];
    const run = SCALAR_F[name];
    for (const [label, result] of [...WRONG_RESULTS, ['a tensor of shape [3]', (x: Tensor) => api.square(x)] as const]) {
      const error = expectTypedError(() => run(result), transform, `${name}: f returns ${label}`);
      expect([OutputError, StaleNodeError].some((cls) => error instanceof cls), `${name}: f returns ${label}: ${error.name}`).toBe(true);
    }
  });

  it.each(Object.keys(ANY_F))('%s: anything but a node or a number is an OutputError (or a StaleNodeError)', (name) => {
    const transform = name.split(' ')[0];
    // jvp, vjp, linearize and jacobian take a tree of outputs (tree-outputs.test.ts), but not one holding a stale node.
    const trees = TREE_OUTPUTS.has(name);
    const wrong: Array<[string, (x: Tensor) => unknown]> = trees
      ? [...WRONG_RESULTS.filter(([label]) => !['a plain object', 'an array of nodes'].includes(label)), ['a tree holding a stale node', (x) => ({ y: api.sum(x), z: staleScalar })]]
      : WRONG_RESULTS;
    if (trees) for (const [, result] of WRONG_RESULTS.slice(5, 7)) expect(() => ANY_F[name](result)).not.toThrow();
    for (const [label, result] of wrong) {
      const error = expectTypedError(() => ANY_F[name](result), transform, `${name}: f returns ${label}`);
      expect([OutputError, StaleNodeError, api.CheckpointError].some((cls) => error instanceof cls), `${name}: f returns ${label}: ${error.name}`).toBe(true);
    }
  });

  it.each([...Object.keys(SCALAR_F), ...Object.keys(ANY_F)])("%s: f's own error reaches the caller as it was thrown", (name) => {
    const mine = new RangeError('mine');
    const run = SCALAR_F[name] ?? ANY_F[name];
    let caught: unknown;
    try { run(() => { throw mine; }); } catch (error) { caught = error; }
    expect(caught).toBe(mine);
    // …and the engine is usable afterwards.
    expect(Array.from(api.grad((x: Tensor) => api.sum(api.square(x)))([1, 2]))).toEqual([2, 4]);
  });
});

describe('options with misspelled keys or wrong-typed values name the function, the option and the nearest name', () => {
  const OPTION_CALLS: Array<[string, (o: unknown) => unknown, Record<string, unknown>, string]> = [
    // [function, call with options, a wrong-typed value, the option a misspelling should suggest]
    ['grad', (o) => api.grad(sq as never, o as never)([1, 2]), { checkFinite: 'yes' }, 'checkFinite'],
    ['hvp', (o) => api.hvp(sq as never, [1, 2], [1, 0], o as never), { maxNodes: -1 }, 'maxNodes'],
    ['hessian', (o) => api.hessian(sq as never, [1, 2], o as never), { lanes: 0.5 }, 'lanes'],
    ['hvpMany', (o) => api.hvpMany(sq as never, [1, 2], Float64Array.of(1, 0), o as never), { lanes: '2' }, 'lanes'],
    ['jacobian', (o) => api.jacobian(fv as never, [1, 2], o as never), { checkFinite: 1 }, 'checkFinite'],
    ['trace', (o) => api.trace(sq as never, [1, 2], [1, 0], o as never), { maxNodes: NaN }, 'maxNodes'],
    ['vmap', (o) => api.vmap((r: number) => r, o as never)([1, 2]), { inAxes: 1.5 }, 'inAxes'],
    ['compile', (o) => api.compile(sq as never, [1, 2], o as never), { onBranchChange: 'ignore' }, 'onBranchChange'],
    ['sparseHessian', (o) => api.sparseHessian(sq as never, [1, 2], o as never), { order: 3 }, 'order'],
    ['sort', (o) => api.sort(v3(), 0, o as never), { descending: 'yes' }, 'descending'],
    ['argsort', (o) => api.argsort(v3(), 0, o as never), { descending: 1 }, 'descending'],
    ['std', (o) => api.std(v3(), 0, o as never), { ddof: -1 }, 'ddof'],
    ['variance', (o) => api.variance(v3(), 0, o as never), { keepDims: 'no' }, 'keepDims'],
    ['det', (o) => api.det(spd(), o as never), { batched: 'yes' }, 'batched'],
    ['triangularSolve', (o) => api.triangularSolve(spd(), tensor([1, 2]), o as never), { lower: 0 }, 'lower'],
    ['conv2d', (o) => api.conv2d(img(), tensor(new Float64Array(24).fill(0.1), [2, 2, 2, 3]), o as never), { stride: 0 }, 'stride'],
    ['maxPool2d', (o) => api.maxPool2d(img(), 2, o as never), { padding: 'full' }, 'padding'],
    ['formatTrace', (o) => api.formatTrace(traced(), o as never), { digits: 'six' }, 'digits'],
    ['toDot', (o) => api.toDot(traced(), o as never), { rankdir: 'RL' }, 'rankdir'],
    ['setKernelBackend', (o) => api.setKernelBackend('js', o as never), { threads: 0 }, 'threads'],
  ];

  it.each(OPTION_CALLS)('%s', (name, call, wrongTyped, option) => {
    try {
      const misspelled = expectTypedError(() => call({ [option.slice(0, -1)]: true }), name, `${name}: misspelled ${option}`);
      expect(misspelled).toBeInstanceOf(OptionError);
      expect(misspelled.message).toContain(`did you mean '${option}'`);
      const wrong = expectTypedError(() => call(wrongTyped), name, `${name}: ${JSON.stringify(wrongTyped)}`);
      expect(wrong).toBeInstanceOf(OptionError);
      expect(wrong.message).toContain(`'${option}'`);
      // A number where options belong: an OptionError, or (grad, valueAndGrad) an ArgumentError saying x goes to the returned function.
      expectTypedError(() => call(3), name, `${name}: options = 3`);
    } finally {
      api.setKernelBackend('auto');
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// The functions transforms return: a compiled program's methods, an operator's apply, a pullback
// ---------------------------------------------------------------------------------------------------

const program = () => api.compile(sq as never, [1, 2, 3]);
const RETURNED: Record<string, [Fn, OpCase]> = {
  'program.value': [(x) => program().value(x as never), { args: () => [[1, 2, 3]], required: 1, accepts: { 0: { '[1, 0, 1]': () => 2 } } }],
  'program.grad': [(x) => program().grad(x as never), { args: () => [[1, 2, 3]], required: 1, accepts: { 0: { '[1, 0, 1]': () => Float64Array.of(2, 0, 2) } } }],
  'program.valueAndGrad': [(x) => program().valueAndGrad(x as never), { args: () => [[1, 2, 3]], required: 1, accepts: { 0: { '[1, 0, 1]': () => ({ value: 2, grad: Float64Array.of(2, 0, 2) }) } } }],
  'program.gradAndHvp': [(x, v) => program().gradAndHvp(x as never, v as never), {
    args: () => [[1, 2, 3], [1, 0, 0]], required: 2,
    accepts: { 0: { '[1, 0, 1]': () => ({ value: 2, grad: Float64Array.of(2, 0, 2), hvp: Float64Array.of(2, 0, 0) }) }, 1: { '[1, 0, 1]': () => ({ value: 14, grad: Float64Array.of(2, 4, 6), hvp: Float64Array.of(2, 0, 2) }) } },
  }],
  'program.hvp': [(x, v) => program().hvp(x as never, v as never), { args: () => [[1, 2, 3], [1, 0, 0]], required: 2, accepts: { 0: { '[1, 0, 1]': () => Float64Array.of(2, 0, 0) }, 1: { '[1, 0, 1]': () => Float64Array.of(2, 0, 2) } } }],
  'program.hvpMany': [(x, V) => program().hvpMany(x as never, V as never), { args: () => [[1, 2, 3], Float64Array.of(1, 0, 0)], required: 2, accepts: { 0: { '[1, 0, 1]': () => Float64Array.of(2, 0, 0) } } }],
  'program.hessian': [(x) => program().hessian(x as never), { args: () => [[1, 2, 3]], required: 1, accepts: { 0: { '[1, 0, 1]': () => Float64Array.of(2, 0, 0, 0, 2, 0, 0, 0, 2) } } }],
  // The flat forms return f(x) and write ∇f (and H·v) into the buffers given, or new ones when left out.
  'program.valueAndGradFlat': [(x, g) => program().valueAndGradFlat(x as never, g as never), {
    args: () => [Float64Array.of(1, 2, 3), new Float64Array(3)], required: 1, accepts: { 0: { '[1, 0, 1]': () => 2 }, 1: { undefined: () => 14 } },
  }],
  'program.gradAndHvpFlat': [(x, v, g, h) => program().gradAndHvpFlat(x as never, v as never, g as never, h as never), {
    args: () => [Float64Array.of(1, 2, 3), Float64Array.of(1, 0, 0), new Float64Array(3), new Float64Array(3)], required: 2,
    accepts: { 0: { '[1, 0, 1]': () => 2 }, 1: { '[1, 0, 1]': () => 14 }, 2: { undefined: () => 14 }, 3: { undefined: () => 14 } },
  }],
  'operator.apply': [(v) => api.hvpOperator(sq as never, [1, 2, 3]).apply(v as never), { args: () => [[1, 0, 0]], required: 1, accepts: { 0: { '[1, 0, 1]': () => Float64Array.of(2, 0, 2) } } }],
  'operator.applyFlat': [(v) => api.hvpOperator(sq as never, [1, 2, 3]).applyFlat(v as never), { args: () => [Float64Array.of(1, 0, 0)], required: 1 }],
  pullback: [(u) => api.vjp(fv as never, [1, 2, 3]).pullback(u as never), { args: () => [[1, 0, 0]], required: 1, accepts: { 0: { '[1, 0, 1]': () => Float64Array.of(2, 0, 6) } } }],
  'linearize jvp': [(v) => api.linearize(fv as never, [1, 2, 3]).jvp(v as never), { args: () => [[1, 0, 0]], required: 1, accepts: { 0: { '[1, 0, 1]': () => Float64Array.of(2, 0, 6) } } }],
};
const RETURNED_NAMES = /^(compile|applyFlat|hvpOperator(\.apply)?|vjp( pullback)?|linearize( jvp)?)\b|^(x|v|u|V)\b|^a node cannot be flattened/;

describe('the functions transforms return: every argument position against the catalogue', () => {
  it.each(Object.keys(RETURNED))('%s', (name) => {
    const [call, c] = RETURNED[name];
    CALLS[name] = call;
    sweep(name, { ...c, names: RETURNED_NAMES });
  });
});

describe('transforms, constructors, utilities and the functions transforms return: an argument past the last parameter is refused', () => {
  const x = [1, 2, 3], v = [1, 0, 0];
  const op = () => api.hvpOperator(sq as never, x);
  // Each with every parameter given (options as {}), so the extra lands past the real end.
  const calls: Record<string, [(...a: unknown[]) => unknown, () => unknown[]]> = {
    grad: [api.grad as Fn, () => [sq, {}]],
    valueAndGrad: [api.valueAndGrad as Fn, () => [sq, {}]],
    gradAndHvp: [api.gradAndHvp as Fn, () => [sq, x, v, {}]],
    hvp: [api.hvp as Fn, () => [sq, x, v, {}]],
    trace: [api.trace as Fn, () => [sq, x, v, {}]],
    hvpOperator: [api.hvpOperator as Fn, () => [sq, x, {}]],
    hvpMany: [api.hvpMany as Fn, () => [sq, x, Float64Array.from(v), {}]],
    hessian: [api.hessian as Fn, () => [sq, x, {}]],
    sparseHessian: [api.sparseHessian as Fn, () => [sq, x, {}]],
    compile: [api.compile as Fn, () => [sq, x, {}]],
    jvp: [api.jvp as Fn, () => [fv, x, v, {}]],
    vjp: [api.vjp as Fn, () => [fv, x, {}]],
    jacobian: [api.jacobian as Fn, () => [fv, x, {}]],
    linearize: [api.linearize as Fn, () => [fv, x, {}]],
    ggnvp: [api.ggnvp as Fn, () => [fv, (z: Tensor) => api.sum(z), x, v, {}]],
    vmap: [api.vmap as Fn, () => [(r: number) => r, {}]],
    checkpoint: [api.checkpoint as Fn, () => [fv]],
    customJvp: [api.customJvp as Fn, () => [fv, (_t: Tensor, dt: Tensor) => dt]],
    tensor: [api.tensor as Fn, () => [[1, 2, 3, 4], [2, 2]]],
    zeros: [api.zeros as Fn, () => [[2, 1]]],
    ones: [api.ones as Fn, () => [[2, 1]]],
    full: [api.full as Fn, () => [[2], 0.5]],
    eye: [api.eye as Fn, () => [2, 3, 1]],
    arange: [api.arange as Fn, () => [1, 2, 0.5]],
    linspace: [api.linspace as Fn, () => [0, 1, 3, {}]],
    oneHot: [api.oneHot as Fn, () => [[1], 3]],
    randomKey: [api.randomKey as Fn, () => [0]],
    splitKey: [api.splitKey as Fn, () => [api.randomKey(0), 2]],
    randomUniform: [api.randomUniform as Fn, () => [api.randomKey(0), [2], {}]],
    randomNormal: [api.randomNormal as Fn, () => [api.randomKey(0), [2]]],
    flatten: [api.flatten as Fn, () => [[1, 2]]],
    unflatten: [api.unflatten as Fn, () => [[1, 2], [3, 4]]],
    dual: [api.dual as Fn, () => [1, 2]],
    traceLength: [api.traceLength as Fn, () => [traced()]],
    traceFrame: [api.traceFrame as Fn, () => [traced(), 1]],
    formatTrace: [api.formatTrace as Fn, () => [traced(), {}]],
    toDot: [api.toDot as Fn, () => [traced(), {}]],
    formatLane: [api.formatLane as Fn, () => UTILITY_CASES.formatLane.args()],
    defineOp: [api.defineOp as Fn, () => UTILITY_CASES.defineOp.args()],
    setKernelBackend: [api.setKernelBackend as Fn, () => [api.getKernelBackend().backend, {}]],
    noExtraArguments: [api.noExtraArguments as Fn, () => UTILITY_CASES.noExtraArguments.args()],
    'hvpOperator.apply': [(...a) => (op().apply as Fn)(...a), () => [v]],
    'hvpOperator.applyFlat': [(...a) => (op().applyFlat as Fn)(...a), () => [Float64Array.from(v)]],
    'vjp pullback': [(...a) => (api.vjp(fv as never, x).pullback as Fn)(...a), () => [[1, 1, 1]]],
    'linearize jvp': [(...a) => (api.linearize(fv as never, x).jvp as Fn)(...a), () => [[1, 1, 1]]],
    'compile value': [(...a) => { const p = program(); return (p.value as Fn).apply(p, a); }, () => [x]],
    'compile grad': [(...a) => { const p = program(); return (p.grad as Fn).apply(p, a); }, () => [x]],
    'compile valueAndGrad': [(...a) => (program().valueAndGrad as Fn).apply(program(), a), () => [x]],
    'compile gradAndHvp': [(...a) => { const p = program(); return (p.gradAndHvp as Fn).apply(p, a); }, () => [x, v]],
    'compile hvp': [(...a) => { const p = program(); return (p.hvp as Fn).apply(p, a); }, () => [x, v]],
    'compile hvpMany': [(...a) => { const p = program(); return (p.hvpMany as Fn).apply(p, a); }, () => [x, Float64Array.from(v)]],
    'compile hessian': [(...a) => { const p = program(); return (p.hessian as Fn).apply(p, a); }, () => [x]],
    'compile valueAndGradFlat': [(...a) => { const p = program(); return (p.valueAndGradFlat as Fn).apply(p, a); }, () => [Float64Array.from(x), new Float64Array(3)]],
    'compile gradAndHvpFlat': [(...a) => { const p = program(); return (p.gradAndHvpFlat as Fn).apply(p, a); }, () => [Float64Array.from(x), Float64Array.from(v), new Float64Array(3), new Float64Array(3)]],
  };
  // Left out, on purpose: isNode, describeValue and scalar are called through xs.map and xs.filter,
  // which pass the index and the array after the value (xs.map(tensor) was already a ShapeError: the
  // index is no shape); the D helpers check their own arguments; getKernelBackend and initKernels
  // take none that could be dropped.
  it('every transform has a case', () => {
    for (const name of TRANSFORMS) expect(Object.keys(calls), name).toContain(name);
  });
  it.each(Object.keys(calls))('%s', (name) => {
    const [call, args] = calls[name];
    expect(() => call(...args()), `${name}: the valid call`).not.toThrow();
    pastTheEnd(name, (a) => call(...a), args(), new RegExp(`^${name.replace('.', '\\.')}:`));
  });
});
