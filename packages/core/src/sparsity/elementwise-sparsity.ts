/**
 * Sparsity rules of elementwise ops: element k of the result depends on element k of each operand
 * (through NumPy broadcasting), and an op adds the interactions its nonzero second partials name.
 * @module
 */
import { broadcastMap } from '../shape.js';
import { NOTHING } from './element-graph.js';
import type { Walk } from './walk.js';

/** How an op reads and changes its node: called once per active node, in creation order. */
export type SparsityRule = (w: Walk, i: number) => void;

/** Same elements as the input: a linear or piecewise-linear op (neg, abs, relu, reshape, …). */
export const sameAsInput: SparsityRule = (w, i) => w.alias(i, w.tape.in0[i]);

/** A zero derivative everywhere it exists (floor, sign, …): depends on no input. */
export const dependsOnNothing: SparsityRule = (w, i) => w.setRun(i, NOTHING);

/** y = f(x) elementwise with f″ ≠ 0: each element interacts with itself. */
export const nonlinearUnary: SparsityRule = (w, i) => {
  const x = w.tape.in0[i];
  const size = w.size(x);
  for (let k = 0; k < size; k++) w.square(w.element(x, k));
  w.alias(i, x);
};

/** x^p: constant for p = 0, x itself for p = 1; with a node exponent, a binary op with every second partial. */
export const power: SparsityRule = (w, i) => {
  if (w.tape.in1[i] >= 0) return everyPartial(w, i);
  const p = w.tape.aux[i];
  if (p === 0) dependsOnNothing(w, i);
  else if (p === 1) sameAsInput(w, i);
  else nonlinearUnary(w, i);
};

/** Which second partials of y = f(a, b) are not identically zero. */
export interface SecondPartials {
  readonly aa: boolean;
  readonly ab: boolean;
  readonly bb: boolean;
}

/**
 * y = f(a, b) elementwise with broadcasting. With `constantZeros`, a product: where one operand is a
 * constant 0, the other one's element does not reach y (x·0 is 0 for every x).
 */
export function binary(partials: SecondPartials, constantZeros = false): SparsityRule {
  const { aa, ab, bb } = partials;
  return (w, i) => {
    const t = w.tape;
    const a = t.in0[i], b = t.in1[i];
    if (t.slot[i] < 0) {
      // Scalar nodes: the hot path of scalar graphs.
      let ha = w.element(a, 0), hb = w.element(b, 0);
      if (constantZeros) {
        if (t.vals[b] === 0 && w.isConstant(b)) ha = NOTHING;
        if (t.vals[a] === 0 && w.isConstant(a)) hb = NOTHING;
      }
      interact(w, ha, hb, aa, ab, bb);
      w.setRun(i, w.graph.union2(ha, hb));
      return;
    }
    const ys = w.shape(i);
    const size = w.size(i);
    const ea = w.elements(a), eb = w.elements(b);
    const amap = broadcastMap(w.shape(a), ys), bmap = broadcastMap(w.shape(b), ys);
    // A constant operand's values matter only if it has an exact zero.
    const av = constantZeros && w.isConstant(a) && w.values(a).includes(0) ? w.values(a) : null;
    const bv = constantZeros && w.isConstant(b) && w.values(b).includes(0) ? w.values(b) : null;
    if (ea !== null && eb === null && amap === null && bv === null && !aa) return w.alias(i, a);
    if (eb !== null && ea === null && bmap === null && av === null && !bb) return w.alias(i, b);
    const out = new Int32Array(size);
    for (let k = 0; k < size; k++) {
      const ka = amap === null ? k : amap[k], kb = bmap === null ? k : bmap[k];
      let ha = ea === null ? NOTHING : ea[ka], hb = eb === null ? NOTHING : eb[kb];
      if (bv !== null && bv[kb] === 0) ha = NOTHING;
      if (av !== null && av[ka] === 0) hb = NOTHING;
      interact(w, ha, hb, aa, ab, bb);
      out[k] = w.graph.union2(ha, hb);
    }
    w.setElements(i, out);
  };
}

function interact(w: Walk, ha: number, hb: number, aa: boolean, ab: boolean, bb: boolean): void {
  if (ab) w.cross(ha, hb);
  if (aa) w.square(ha);
  if (bb) w.square(hb);
}

/** Linear in both operands (add, sub) or piecewise linear (maximum, minimum). */
export const linearBinary = binary({ aa: false, ab: false, bb: false });
/** a·b. */
export const product = binary({ aa: false, ab: true, bb: false }, true);
/** a/b: ∂²/∂a² = 0. */
export const quotient = binary({ aa: false, ab: true, bb: true });
/** hypot, atan2, logAddExp, pow with a node exponent. */
export const everyPartial = binary({ aa: true, ab: true, bb: true });

/** mask ? a : b for a constant mask: each element is one operand's element. */
export const select: SparsityRule = (w, i) => {
  const t = w.tape;
  const a = t.in0[i], b = t.in1[i];
  const pick = t.saved.get(i) as Uint8Array;
  const ys = w.shape(i);
  const ea = w.elements(a), eb = w.elements(b);
  const amap = broadcastMap(w.shape(a), ys), bmap = broadcastMap(w.shape(b), ys);
  const out = new Int32Array(w.size(i));
  for (let k = 0; k < out.length; k++) {
    if (pick[k]) out[k] = ea === null ? NOTHING : ea[amap === null ? k : amap[k]];
    else out[k] = eb === null ? NOTHING : eb[bmap === null ? k : bmap[k]];
  }
  w.setElements(i, out);
};
