// y = Einstein summation over labelled axes, e.g. C_ik = Σ_j A_ij B_jk for 'ij,jk->ik'.
// Built from ops that carry their own rules — diagonals as a gather (linear-map.ts), sums,
// transposes, reshapes and (batched) matmul — so its first, second and nested derivatives come from
// theirs: einsum is multilinear, each operand's adjoint is itself an einsum of the others.
//
// Strategy (no huge intermediates):
//   1. a label of size 1 where others have another size (0 too) broadcasts: that axis is dropped
//      (x is constant along it); a label repeated in one operand takes that operand's diagonal (a gather);
//   2. a label that no other operand and not the output needs is summed out at once;
//   3. operands are contracted in pairs, greedily: at each step the pair whose result is smallest
//      (as opt_einsum's 'greedy'); labels shared by the pair and needed later are batch axes, shared
//      ones not needed later are contracted, so each pairwise step is one (batched) matrix product
//      on the kernels, and a label is summed as soon as nothing later needs it;
//      a pair with no label to sum is one broadcasting mul instead (each result element one product);
//   4. the last operand is transposed into the output's order.
// No intermediate is larger than a pairwise result the greedy order chose as smallest, and none
// holds a label the remaining operands and the output do not need.
import { ArgumentError } from '../errors.js';
import { Tensor, describeValue } from '../node.js';
import { checkedSize, sizeOf, type Shape } from '../shape.js';
import { commonTape, type Tape } from '../tape.js';
import { parseSubscripts, type EinsumSpec } from './einsum-subscripts.js';
import { applyLinearMap, type SparseMap } from './linear-map.js';
import { matmulOp } from './matmul.js';
import { mul } from './mul.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';
import { transpose } from './transpose.js';

/** An operand on its way through the contraction: a tensor and one distinct label per axis. */
interface Labelled {
  readonly x: Tensor;
  readonly labels: readonly number[];
}

/**
 * Drops size-1 axes of labels that have another size elsewhere (broadcasting: x is constant along
 * them). That size may be 0 too: NumPy broadcasts 1 against 0, and the result is empty.
 */
function dropBroadcast(x: Tensor, labels: readonly number[], sizes: ReadonlyMap<number, number>): Labelled {
  const keep = labels.map((l, k) => !(x.shape[k] === 1 && sizes.get(l)! !== 1));
  if (keep.every(Boolean)) return { x, labels };
  return { x: reshape(x, x.shape.filter((_, k) => keep[k])), labels: labels.filter((_, k) => keep[k]) };
}

/** The diagonal over repeated labels: one axis per distinct label, in order of first appearance. */
function diagonal(x: Tensor, labels: readonly number[]): Labelled {
  const distinct = [...new Set(labels)];
  if (distinct.length === labels.length) return { x, labels };
  const outShape = distinct.map((l) => x.shape[labels.indexOf(l)]);
  const strides = new Array<number>(labels.length);
  let s = 1;
  for (let k = labels.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= x.shape[k];
  }
  // Each distinct label steps every axis it labels at once.
  const step = distinct.map((l) => labels.reduce((acc, m, k) => (m === l ? acc + strides[k] : acc), 0));
  const n = sizeOf(outShape);
  const index = new Int32Array(n);
  const counter = new Array<number>(distinct.length).fill(0);
  let at = 0;
  for (let e = 0; e < n; e++) {
    index[e] = at;
    for (let k = distinct.length - 1; k >= 0; k--) {
      counter[k]++;
      at += step[k];
      if (counter[k] < outShape[k]) break;
      at -= step[k] * counter[k];
      counter[k] = 0;
    }
  }
  const offsets = Int32Array.from({ length: n + 1 }, (_, r) => r);
  const map: SparseMap = { inShape: x.shape, outShape, offsets, index, weight: null };
  return { x: applyLinearMap(x, map), labels: distinct };
}

/** Sums out the labels of `a` that `needed` does not hold. */
function sumUnneeded(a: Labelled, needed: ReadonlySet<number>): Labelled {
  const axes = a.labels.flatMap((l, k) => (needed.has(l) ? [] : [k]));
  if (axes.length === 0) return a;
  const labels = a.labels.filter((l) => needed.has(l));
  return { x: sum(a.x, axes, false), labels };
}

/** Moves x's axes into the order of `want` (a permutation of its labels). */
function arrange(a: Labelled, want: readonly number[]): Tensor {
  const perm = want.map((l) => a.labels.indexOf(l));
  return transpose(a.x, perm);
}

const isIdentity = (perm: readonly number[]) => perm.every((p, k) => p === k);

/**
 * The contraction of a pair: shared labels in `keep` are batch axes, other shared labels are summed;
 * the result's labels are batch, then a's own, then b's own — one (batched) matrix product.
 */
function contractPair(a: Labelled, b: Labelled, keep: ReadonlySet<number>): Labelled {
  const inB = new Set(b.labels);
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l));
  const summed = a.labels.filter((l) => inB.has(l) && !keep.has(l));
  const aOwn = a.labels.filter((l) => !inB.has(l));
  const inA = new Set(a.labels);
  const bOwn = b.labels.filter((l) => !inA.has(l));
  if (summed.length === 0) return broadcastPair(a, b, batch, aOwn, bOwn);
  const size = (x: Labelled, ls: readonly number[]) => ls.reduce((p, l) => p * x.x.shape[x.labels.indexOf(l)], 1);
  const B = size(a, batch), M = size(a, aOwn), K = size(a, summed), N = size(b, bOwn);
  // Read an operand transposed rather than copy it when its axes already lie the other way round.
  const aPerm = [...batch, ...aOwn, ...summed].map((l) => a.labels.indexOf(l));
  const aT = !isIdentity(aPerm) && isIdentity([...batch, ...summed, ...aOwn].map((l) => a.labels.indexOf(l)));
  const bPerm = [...batch, ...summed, ...bOwn].map((l) => b.labels.indexOf(l));
  const bT = !isIdentity(bPerm) && isIdentity([...batch, ...bOwn, ...summed].map((l) => b.labels.indexOf(l)));
  const aMat = aT ? a.x : arrange(a, [...batch, ...aOwn, ...summed]);
  const bMat = bT ? b.x : arrange(b, [...batch, ...summed, ...bOwn]);
  const shape3 = (rows: number, cols: number): Shape => (B === 1 && batch.length === 0 ? [rows, cols] : [B, rows, cols]);
  const product = matmulOp(
    reshape(aMat, aT ? shape3(K, M) : shape3(M, K)),
    reshape(bMat, bT ? shape3(N, K) : shape3(K, N)),
    aT, bT, false,
  );
  const labels = [...batch, ...aOwn, ...bOwn];
  const dims = [...batch.map((l) => a.x.shape[a.labels.indexOf(l)]), ...aOwn.map((l) => a.x.shape[a.labels.indexOf(l)]), ...bOwn.map((l) => b.x.shape[b.labels.indexOf(l)])];
  return { x: reshape(product, dims), labels };
}

/**
 * A pair with no label to sum ('i,i->i', 'ij,ij->ji', 'i,j->ij'): each result element is one product,
 * so one broadcasting mul, [batch, aOwn, 1…] · [batch, 1…, bOwn], rather than a matrix product per
 * element with an inner dimension of 1 (B products of 1×1 or M×1 by 1×N matrices).
 */
function broadcastPair(a: Labelled, b: Labelled, batch: readonly number[], aOwn: readonly number[], bOwn: readonly number[]): Labelled {
  const dim = (x: Labelled, l: number) => x.x.shape[x.labels.indexOf(l)];
  const batchDims = batch.map((l) => dim(a, l)), aDims = aOwn.map((l) => dim(a, l)), bDims = bOwn.map((l) => dim(b, l));
  const aX = reshape(arrange(a, [...batch, ...aOwn]), [...batchDims, ...aDims, ...bDims.map(() => 1)]);
  const bX = reshape(arrange(b, [...batch, ...bOwn]), [...batchDims, ...aDims.map(() => 1), ...bDims]);
  return { x: mul(aX, bX), labels: [...batch, ...aOwn, ...bOwn] };
}

/** Labels needed by the output or by any operand other than those at `skip`. */
function neededBesides(operands: readonly Labelled[], output: readonly number[], skip: readonly number[]): Set<number> {
  const needed = new Set(output);
  operands.forEach((op, j) => {
    if (!skip.includes(j)) for (const l of op.labels) needed.add(l);
  });
  return needed;
}

/** The pair whose contraction result is smallest (first such pair on ties). */
function cheapestPair(operands: readonly Labelled[], output: readonly number[], sizes: ReadonlyMap<number, number>): [number, number] {
  let best: [number, number] = [0, 1];
  let bestSize = Infinity;
  for (let i = 0; i < operands.length; i++) {
    for (let j = i + 1; j < operands.length; j++) {
      const keep = neededBesides(operands, output, [i, j]);
      const result = new Set([...operands[i].labels, ...operands[j].labels].filter((l) => keep.has(l)));
      let size = 1;
      for (const l of result) size *= sizes.get(l)!;
      if (size < bestSize) {
        bestSize = size;
        best = [i, j];
      }
    }
  }
  return best;
}

function evaluate(xs: readonly Tensor[], spec: EinsumSpec): Tensor {
  let operands: Labelled[] = xs.map((x, j) => {
    const b = dropBroadcast(x, spec.inputs[j], spec.sizes);
    return diagonal(b.x, b.labels);
  });
  operands = operands.map((op, j) => sumUnneeded(op, neededBesides(operands, spec.output, [j])));
  while (operands.length > 1) {
    const [i, j] = cheapestPair(operands, spec.output, spec.sizes);
    const keep = neededBesides(operands, spec.output, [i, j]);
    const merged = contractPair(operands[i], operands[j], keep);
    operands = [...operands.filter((_, k) => k !== i && k !== j), merged];
  }
  const last = sumUnneeded(operands[0], new Set(spec.output));
  return arrange(last, spec.output);
}

/**
 * Einstein summation, with NumPy's subscripts: letters label axes, `->` names the output (without it,
 * the labels used once, in alphabetical order), `...` stands for broadcast leading axes, a label
 * repeated in one operand takes a diagonal (`'ii->i'`, `'ii'` the trace), and a label of size 1
 * broadcasts against any other size. Always returns a tensor (0-d when every label is summed).
 * Operands are contracted pairwise, smallest result first, each pair as one (batched) matrix product
 * on the kernels, or one broadcasting `mul` when it sums no label; see the strategy at the top of
 * einsum.ts.
 *
 * @example
 * ```ts
 * einsum('ij,jk->ik', A, B);          // matmul
 * einsum('bij,bjk->bik', Q, K);       // batched matmul
 * einsum('ii', M);                    // trace, a 0-d tensor
 * einsum('...d,hd->...h', x, W);      // a dense layer over any leading axes
 * einsum('i,j', u, w);                // outer product
 * ```
 */
export function einsum(subscripts: string, ...operands: Tensor[]): Tensor {
  if (operands.length === 0) throw new ArgumentError('einsum: needs at least one operand after the subscripts');
  let tape: Tape | undefined;
  operands.forEach((x, j) => {
    if (!(x instanceof Tensor)) throw new ArgumentError(`einsum: operand ${j} is ${describeValue(x)}; expected a tensor`);
    tape = commonTape(tape ?? x.tape, x.tape, 'einsum');
  });
  const spec = parseSubscripts(subscripts, operands.map((x) => x.shape));
  // The result's size first: evaluate would reach it through mul or matmul, whose error names them.
  checkedSize(spec.output.map((label) => spec.sizes.get(label) ?? 1), 'einsum', 'check the subscripts and the operand sizes');
  return evaluate(operands, spec);
}
