// y = Π xₖ over some axes (all by default), computed as a balanced tree of elementwise products:
// halves of the reduced elements multiplied pairwise until one is left. ∂y/∂xₖ = Π_{j≠k} xⱼ and
// ∂²y/∂xₖ∂xₗ = Π_{j≠k,l} xⱼ (0 for k = l) come from mul's rules through the tree, with no division
// anywhere: exact where x has one zero or several, at every order and nested.
import type { Scalar, Tensor } from '../node.js';
import { add } from './add.js';
import { at } from './at.js';
import { concat } from './concat.js';
import { mul } from './mul.js';
import { keptAxes, reducedCount, reducedShape, reductionAxes, tensorArg, keepDimsArg, noExtraArguments } from './op-args.js';
import { reshape } from './reshape.js';
import { slice } from './slice.js';
import { sum, type Axes } from './sum.js';
import { transpose } from './transpose.js';

/**
 * The product of all elements (a scalar), or along `axis` — a number or a list of numbers, negative
 * ones counting from the end — as a tensor (`keepDims` keeps each reduced axis as 1, every axis when `axis` is left out, as NumPy).
 * Its derivatives are exact when elements are 0 (no division by x). A product over no elements is 1.
 *
 * @example
 * ```ts
 * prod(x);          // a scalar
 * m.prod(1);        // the product of each row
 * ```
 */
export function prod(x: Tensor, axis?: undefined, keepDims?: false): Scalar;
export function prod(x: Tensor, axis: number | readonly number[] | undefined, keepDims: true): Tensor;
export function prod(x: Tensor, axis: number | readonly number[], keepDims?: boolean): Tensor;
export function prod(x: Tensor, axis?: Axes, keepDims = false): Scalar | Tensor {
  if (arguments.length > 3) noExtraArguments('prod', arguments, 3, 'prod(x, axis, keepDims)');
  keepDimsArg(keepDims, 'prod');
  const xt = tensorArg(x, 'prod');
  axis = keptAxes(axis, xt.shape, keepDims);
  const axes = reductionAxes(axis, xt.shape, 'prod');
  const others = xt.shape.map((_, k) => k).filter((k) => !axes.includes(k));
  const n = reducedCount(xt.shape, axes);
  const rows = reducedCount(xt.shape, others);
  // The reduced axes last, as one: [rows, n]; each row's product is its tree.
  const grouped = reshape(transpose(xt, [...others, ...axes]), [rows, n]);
  const products = n === 0 ? add(mul(sum(grouped, 1, true), 0), 1) : tree(grouped, n);
  return axis === undefined ? at(products, 0) : reshape(products, reducedShape(xt.shape, axes, keepDims));
}

/** The product along axis 1 of a [rows, n] tensor, as [rows, 1]: pairwise halves, the odd one carried. */
function tree(y: Tensor, n: number): Tensor {
  while (n > 1) {
    const half = Math.floor(n / 2);
    const paired = mul(slice(y, 0, half, 1), slice(y, half, 2 * half, 1));
    y = n % 2 === 0 ? paired : concat([paired, slice(y, 2 * half, n, 1)], 1);
    n = half + (n % 2);
  }
  return y;
}
