/**
 * What each op contributes to the Hessian's sparsity pattern, by the name its rule is registered
 * under (`ruleOf(code).name`). Every built-in rule must have an entry (a test checks it); a rule
 * registered later — a user op made with `defineOp`, even one that reuses a built-in name — and any
 * name missing here get `whole`, which is always a superset: each output depends on every input
 * element, and they all meet.
 *
 * When unsure, an entry is conservative: `maximum`, `max` and `abs` count both branches (they are
 * piecewise linear, so they add no interaction either way); a convolution with two variable operands
 * is kept whole.
 * @module
 */
// Every built-in op's module registers its rule as it loads, and the count below must come after all
// of them. The package says "sideEffects": false, so a bundler drops a bare `import '…'`; these two
// imports are used (by countRules), which keeps the modules in any bundle and evaluates them first.
import * as builtInOps from '../ops/index.js';
import { INPUT } from '../frame.js';
import { ruleOf } from '../tape.js';
import {
  dependsOnNothing, everyPartial, linearBinary, nonlinearUnary, power, product, quotient, sameAsInput, select,
  type SparsityRule,
} from './elementwise-sparsity.js';
import { convolution, dot, linearScan, matmul, whole } from './product-sparsity.js';
import { broadcastTo, concat, cumsum, elementAt, gather, linearMap, normOfLines, reduction, scatter, slice, transpose } from './structural-sparsity.js';

/** The sparsity rule of each built-in op, by rule name. */
export const OP_SPARSITY: Readonly<Record<string, SparsityRule>> = {
  // Leaves get their elements before the walk; constants depend on nothing and are never visited.
  leaf: dependsOnNothing,
  constant: dependsOnNothing,
  // Linear, or piecewise linear (second derivative 0 wherever it exists): the input's elements.
  neg: sameAsInput, abs: sameAsInput, relu: sameAsInput, leakyRelu: sameAsInput,
  relu6: sameAsInput, hardTanh: sameAsInput,
  // norm at a line with several ±∞: the identity with a NaN slope (the limit depends on the path), f″ = 0.
  normAtSeveralInfinities: sameAsInput,
  reshape: sameAsInput, promote: sameAsInput, input: sameAsInput,
  // Piecewise constant, or no derivative by definition (detached: logSumExp's shift, norm's scale).
  detached: dependsOnNothing,
  floor: dependsOnNothing, ceil: dependsOnNothing, round: dependsOnNothing, sign: dependsOnNothing, trunc: dependsOnNothing,
  greater: dependsOnNothing, greaterEqual: dependsOnNothing, less: dependsOnNothing, lessEqual: dependsOnNothing,
  equal: dependsOnNothing, notEqual: dependsOnNothing, isNan: dependsOnNothing, isFinite: dependsOnNothing, isInf: dependsOnNothing,
  // Nonlinear elementwise: f″ ≠ 0.
  square: nonlinearUnary, sqrt: nonlinearUnary, rsqrt: nonlinearUnary, cbrt: nonlinearUnary, reciprocal: nonlinearUnary,
  exp: nonlinearUnary, exp2: nonlinearUnary, expm1: nonlinearUnary,
  log: nonlinearUnary, log2: nonlinearUnary, log10: nonlinearUnary, log1p: nonlinearUnary,
  sin: nonlinearUnary, cos: nonlinearUnary, tan: nonlinearUnary,
  asin: nonlinearUnary, acos: nonlinearUnary, atan: nonlinearUnary,
  sinh: nonlinearUnary, cosh: nonlinearUnary, tanh: nonlinearUnary,
  asinh: nonlinearUnary, acosh: nonlinearUnary, atanh: nonlinearUnary, oneMinusSquare: nonlinearUnary,
  sigmoid: nonlinearUnary, sigmoidSpread: nonlinearUnary, sigmoidSlope: nonlinearUnary, siluSlope: nonlinearUnary,
  logit: nonlinearUnary, softplus: nonlinearUnary, silu: nonlinearUnary,
  gelu: nonlinearUnary, elu: nonlinearUnary, erf: nonlinearUnary, erfc: nonlinearUnary,
  lgamma: nonlinearUnary, digamma: nonlinearUnary, polygamma: nonlinearUnary,
  logSigmoid: nonlinearUnary,
  sinc: nonlinearUnary,
  erfinv: nonlinearUnary, erfinvSlope: nonlinearUnary,
  ndtr: nonlinearUnary, normalPdf: nonlinearUnary, logNdtr: nonlinearUnary, ndtrRatio: nonlinearUnary, ndtrGap: nonlinearUnary,
  selu: nonlinearUnary, celu: nonlinearUnary, softsign: nonlinearUnary, mish: nonlinearUnary, mishGate: nonlinearUnary, mishSechSquared: nonlinearUnary,
  // logSumExp's limit where its derivatives are undetermined (NaN): they meet as those of any f″ ≠ 0.
  undetermined: nonlinearUnary, undeterminedSlope: nonlinearUnary,
  pow: power, powSlopeA: everyPartial, powSlopeB: everyPartial,
  // Binary elementwise.
  add: linearBinary, sub: linearBinary, maximum: linearBinary, minimum: linearBinary, remainder: linearBinary,
  mul: product, times: product,
  div: quotient,
  hypot: everyPartial, hypotRatio: everyPartial, logAddExp: everyPartial,
  atan2: everyPartial, atan2Slope: everyPartial, atan2CurvatureAA: everyPartial, atan2CurvatureAB: everyPartial,
  xlogy: everyPartial, xlog1py: everyPartial, xlogyRatio: everyPartial, xlog1pyRatio: everyPartial,
  where: select,
  // Moving, picking and adding up elements: linear.
  at: elementAt, broadcastTo, slice, transpose, concat, gather, scatter, linearMap, cumsum,
  // A gather through the recorded order (its saved spec is the gather's map).
  sort: gather,
  sum: reduction, max: reduction,
  // Nonlinear within each line: norm's ord 2 and std, their gradient's unit vector and H·v; logSumExp's ℓ.
  euclideanNorm: normOfLines, normUnit: normOfLines, normBend: normOfLines,
  logSumExpLines: normOfLines, logSoftmaxLines: normOfLines, softmaxLines: normOfLines, softmaxBend: normOfLines,
  // Products.
  dot, matmul, scan: linearScan, conv: convolution,
  // Kept whole. (A checkpoint is a whole function run again: its outputs may depend on every input.)
  checkpoint: whole,
  // A customJvp function's rule may mix every input into every output.
  customJvp: whole,
  cholesky: whole, triangularSolve: whole, solve: whole, inv: whole, det: whole, logAbsDet: whole, eigh: whole,
  qr: whole, lu: whole, svd: whole, pinv: whole, expm: whole, sqrtm: whole, logm: whole,
};

/** Rules registered up to here are the built-in ones; later codes are user ops. */
const BUILT_IN_CODES = countRules(builtInOps, INPUT);

/** The rules registered so far; given the modules that register the built-in ones, so they load first. */
function countRules(ops: object, inputCode: number): number {
  let code = 0;
  while (ruleOf(code) !== undefined) code++;
  if (Object.keys(ops).length === 0 || inputCode >= code) throw new Error('dualtape internal error: the built-in op rules were not registered before op-sparsity counted them');
  return code;
}

/** How many op codes are built in (for the test that every one of them is classified). */
export function builtInRuleCount(): number {
  return BUILT_IN_CODES;
}

/** Ops whose value follows their input though they carry no derivative: their zeros are not constant. */
const TRACKS_INPUT = new Set(['detached']);
const tracksByCode: boolean[] = [];

/** True when op code `code` makes a value that changes with its input but has no derivative. */
export function tracksInput(code: number): boolean {
  let tracks = tracksByCode[code];
  if (tracks === undefined) {
    // Only built-ins are looked up: a user op's value varies only through its inputs.
    tracks = code < BUILT_IN_CODES && TRACKS_INPUT.has(ruleOf(code).name);
    tracksByCode[code] = tracks;
  }
  return tracks;
}

const byCode: SparsityRule[] = [];

/** The sparsity rule of op code `code`. */
export function sparsityRuleOf(code: number): SparsityRule {
  let rule = byCode[code];
  if (rule === undefined) {
    const name = ruleOf(code).name;
    const known = code < BUILT_IN_CODES && Object.prototype.hasOwnProperty.call(OP_SPARSITY, name) ? OP_SPARSITY[name] : undefined;
    rule = known ?? whole;
    byCode[code] = rule;
  }
  return rule;
}
