/** The cases of the JAX differential test (./run.ts): name, input shapes and domains, and the function of the inputs. ./oracle.py has the same names with JAX's functions. */
import * as dt from '@dualtape/core';
type N = any;
export interface Case { name: string; shapes: number[][]; doms: string[]; fn: (...p: N[]) => N; nojac?: boolean; no3?: boolean }
export const cases: Case[] = [];
const c = (name: string, shapes: number[][], doms: string[], fn: (...p: N[]) => N, extra: Partial<Case> = {}) =>
  cases.push({ name, shapes, doms, fn, ...extra });

// ---- unary elementwise
const unary: [string, string, (x: N) => N][] = [
  ['abs', 'nz', dt.abs], ['acos', 'unit', dt.acos], ['acosh', 'gt1', dt.acosh], ['asin', 'unit', dt.asin],
  ['asinh', 'n', dt.asinh], ['atan', 'n', dt.atan], ['atanh', 'unit', dt.atanh], ['cbrt', 'nz', dt.cbrt],
  ['cos', 'n', dt.cos], ['cosh', 'n', dt.cosh], ['digamma', 'pos', dt.digamma], ['digamma_neg', 'negnonint', dt.digamma],
  ['elu', 'nz', (x) => dt.elu(x)], ['elu07', 'nz', (x) => dt.elu(x, 0.7)], ['erf', 'n', dt.erf], ['erfc', 'n', dt.erfc],
  ['erfc_big', 'big', dt.erfc], ['exp', 'n', dt.exp], ['exp2', 'n', dt.exp2], ['expm1', 'n', dt.expm1],
  ['gelu', 'n', dt.gelu], ['gelu_neg', 'bigneg', dt.gelu], ['leakyRelu', 'nz', (x) => dt.leakyRelu(x)], ['leakyRelu02', 'nz', (x) => dt.leakyRelu(x, 0.2)],
  ['lgamma', 'pos', dt.lgamma], ['lgamma_neg', 'negnonint', dt.lgamma], ['lgamma_big', 'large', dt.lgamma], ['log', 'pos', dt.log], ['log10', 'pos', dt.log10],
  ['log1p', 'gtm1', dt.log1p], ['log2', 'pos', dt.log2], ['logit', 'prob', dt.logit], ['logit_edge', 'probedge', dt.logit], ['neg', 'n', dt.neg],
  ['polygamma0', 'pos', (x) => dt.polygamma(0, x)], ['polygamma1', 'pos', (x) => dt.polygamma(1, x)],
  ['polygamma2', 'pos', (x) => dt.polygamma(2, x)], ['polygamma3', 'pos', (x) => dt.polygamma(3, x)],
  ['polygamma1_neg', 'negnonint', (x) => dt.polygamma(1, x)], ['polygamma2_neg', 'negnonint', (x) => dt.polygamma(2, x)],
  ['polygamma1_large', 'large', (x) => dt.polygamma(1, x)],
  ['reciprocal', 'nz', dt.reciprocal], ['relu', 'nz', dt.relu], ['rsqrt', 'pos', dt.rsqrt], ['sigmoid', 'n', dt.sigmoid],
  ['sigmoid_big', 'bigpm', dt.sigmoid], ['sign', 'nz', dt.sign], ['floor', 'n', dt.floor], ['ceil', 'n', dt.ceil], ['round', 'n', dt.round],
  ['silu', 'n', dt.silu], ['silu_big', 'bigpm', dt.silu], ['sin', 'n', dt.sin], ['sinh', 'n', dt.sinh], ['softplus', 'n', dt.softplus], ['softplus_big', 'bigpm', dt.softplus],
  ['sqrt', 'pos', dt.sqrt], ['square', 'n', dt.square], ['tan', 'unit', dt.tan], ['tanh', 'n', dt.tanh], ['tanh_big', 'bigpm', dt.tanh],
  ['digamma_small', 'small', dt.digamma], ['lgamma_small', 'small', dt.lgamma], ['expm1_small', 'tiny', dt.expm1], ['log1p_small', 'tiny', dt.log1p],
  ['asinh_big', 'bigpm', dt.asinh], ['acosh_near1', 'near1', dt.acosh], ['atanh_near1', 'near1m', dt.atanh],
  // sinc_small and sinc_tiny flag, and JAX is the one off: off x = 0 it differentiates sin(πx)/(πx)
  // itself, which cancels near 0 (its third derivative at 1.3e−6 is −469.5; mpmath: 2.53e−5, ours
  // from the series agrees with mpmath to the last digit). logNdtr_neg flags too, and JAX is again the
  // one off: below −20 it sums a truncated asymptotic series. Against mpmath at x = −25, JAX's first,
  // second and third derivatives are off by 6.8e−10, 4.3e−7 and 8.5e−2 relative; ours by 1.9e−17,
  // 5.0e−17 and 1.0e−11; above −20 JAX's third derivative drifts too (1.1e−7 at −15, ours 2.2e−12).
  ['logSigmoid', 'n', dt.logSigmoid], ['logSigmoid_big', 'bigpm', dt.logSigmoid], ['sinc', 'n', dt.sinc], ['sinc_small', 'small', dt.sinc],
  ['sinc_tiny', 'tiny', dt.sinc], ['sinc_wide', 'wide', dt.sinc], ['erfinv', 'unit', dt.erfinv], ['erfinv_edge', 'near1m', dt.erfinv],
  ['ndtr', 'n', dt.ndtr], ['ndtr_neg', 'bigneg', dt.ndtr], ['logNdtr', 'n', dt.logNdtr], ['logNdtr_neg', 'bigneg', dt.logNdtr],
  ['logNdtr_big', 'big', dt.logNdtr], ['selu', 'nz', dt.selu], ['celu', 'nz', (x) => dt.celu(x)], ['celu07', 'nz', (x) => dt.celu(x, 0.7)],
  ['softsign', 'nz', dt.softsign], ['mish', 'n', dt.mish], ['mish_big', 'bigpm', dt.mish], ['relu6', 'wide', dt.relu6], ['hardTanh', 'n', dt.hardTanh],
];
for (const [nm, dom, f] of unary) {
  c(`${nm}[3,4]`, [[3, 4]], [dom], f);
  c(`${nm}[]`, [[]], [dom], f);
}
// method forms
c('method.tanh.square.exp', [[5]], ['n'], (x) => x.tanh().square().exp());
// ---- binary with broadcasting
const bshapes: [number[], number[]][] = [[[3, 4], [3, 4]], [[3, 4], [4]], [[2, 1, 4], [3, 1]], [[], [3]], [[3, 1], []], [[1], [2, 3]]];
const binary: [string, string, string, (a: N, b: N) => N][] = [
  ['add', 'n', 'n', dt.add], ['sub', 'n', 'n', dt.sub], ['mul', 'n', 'n', dt.mul], ['div', 'n', 'nz', dt.div],
  ['pow', 'pos', 'n', dt.pow], ['atan2', 'n', 'nz', dt.atan2], ['hypot', 'nz', 'nz', dt.hypot], ['logAddExp', 'n', 'n', dt.logAddExp],
  ['maximum', 'n', 'n', dt.maximum], ['minimum', 'n', 'n', dt.minimum], ['atan2neg', 'n', 'neg', dt.atan2],
  ['xlogy', 'n', 'pos', dt.xlogy], ['xlog1py', 'n', 'gtm1', dt.xlog1py],
];
for (const [nm, da, db, f] of binary) for (const [sa, sb] of bshapes) c(`${nm}${JSON.stringify(sa)}${JSON.stringify(sb)}`, [sa, sb], [da, db], f);
c('pow_const3[3,4]', [[3, 4]], ['n'], (x) => dt.pow(x, 3));
c('pow_const2.5[3,4]', [[3, 4]], ['pos'], (x) => dt.pow(x, 2.5));
c('pow_const-1.5[3,4]', [[3, 4]], ['pos'], (x) => dt.pow(x, -1.5));
c('pow_base2[3,4]', [[3, 4]], ['n'], (x) => dt.pow(2.5, x));
c('mul_num[3]', [[3]], ['n'], (x) => dt.mul(x, 2.5));
c('div_num_rev[3]', [[3]], ['nz'], (x) => dt.div(2.5, x));
c('sub_num_rev[3]', [[3]], ['n'], (x) => dt.sub(2.5, x));
c('x_times_x[3]', [[3]], ['n'], (x) => dt.mul(x, x));
c('x_pow_x[3]', [[3]], ['pos'], (x) => dt.pow(x, x));
c('x_div_x_sin[3]', [[3]], ['pos'], (x) => dt.div(x.sin(), x));
// clip / where
c('clip_num[3,4]', [[3, 4]], ['n'], (x) => dt.clip(x, -0.5, 0.7));
c('clip_node[3,4][4][3,1]', [[3, 4], [4], [3, 1]], ['n', 'lo', 'hi'], (x, lo, hi) => dt.clip(x, lo, hi));
c('clip_inf[3,4]', [[3, 4]], ['n'], (x) => dt.clip(x, -Infinity, 0.3));
const mask34 = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1];
c('where[3,4]', [[3, 4], [3, 4]], ['n', 'n'], (a, b) => dt.where(dt.tensor(mask34, [3, 4]), a.sin(), b.exp()));
c('where_flatmask[12]', [[12], [12]], ['n', 'n'], (a, b) => dt.where(mask34, a.sin(), b.exp()));
c('where_bcast[3,4][4]', [[3, 4], [4]], ['n', 'n'], (a, b) => dt.where(dt.tensor(mask34, [3, 4]), a, b.square()));
c('where_num[3,4]', [[3, 4]], ['n'], (a) => dt.where(dt.tensor(mask34, [3, 4]), a.cos(), 0.5));
// ---- reductions
const rshape = [2, 3, 4];
const axesList: (number | number[] | undefined)[] = [undefined, 0, -1, 1, [0, 2], [-1, -2], [0, 1, 2]];
const reds: [string, string, (x: N, ax: any, kd: boolean) => N][] = [
  ['sum', 'n', (x, a, k) => a === undefined ? dt.sum(x) : dt.sum(x, a, k)],
  ['mean', 'n', (x, a, k) => a === undefined ? dt.mean(x) : dt.mean(x, a, k)],
  ['max', 'n', (x, a, k) => a === undefined ? dt.max(x) : dt.max(x, a, k)],
  ['min', 'n', (x, a, k) => a === undefined ? dt.min(x) : dt.min(x, a, k)],
  ['prod', 'n', (x, a, k) => a === undefined ? dt.prod(x) : dt.prod(x, a, k)],
  ['logSumExp', 'n', (x, a, k) => a === undefined ? dt.logSumExp(x) : dt.logSumExp(x, a, k)],
  ['variance', 'n', (x, a, k) => a === undefined ? dt.variance(x) : dt.variance(x, a, k)],
  ['variance_ddof1', 'n', (x, a, k) => a === undefined ? dt.variance(x, undefined, { ddof: 1 }) : dt.variance(x, a, { keepDims: k, ddof: 1 } as any)],
  ['std', 'n', (x, a, k) => a === undefined ? dt.std(x) : dt.std(x, a, k)],
  ['std_ddof1', 'n', (x, a, k) => a === undefined ? dt.std(x, undefined, { ddof: 1 }) : dt.std(x, a, { keepDims: k, ddof: 1 } as any)],
  ['norm2', 'n', (x, a, k) => a === undefined ? dt.norm(x) : dt.norm(x, 2, a, k)],
  ['norm1', 'nz', (x, a, k) => a === undefined ? dt.norm(x, 1) : dt.norm(x, 1, a, k)],
  ['norm3', 'nz', (x, a, k) => a === undefined ? dt.norm(x, 3) : dt.norm(x, 3, a, k)],
  ['norm0.5', 'nz', (x, a, k) => a === undefined ? dt.norm(x, 0.5) : dt.norm(x, 0.5, a, k)],
  ['normInf', 'nz', (x, a, k) => a === undefined ? dt.norm(x, Infinity) : dt.norm(x, Infinity, a, k)],
  ['normNegInf', 'nz', (x, a, k) => a === undefined ? dt.norm(x, -Infinity) : dt.norm(x, -Infinity, a, k)],
  ['norm-1.5', 'nz', (x, a, k) => a === undefined ? dt.norm(x, -1.5) : dt.norm(x, -1.5, a, k)],
];
for (const [nm, dom, f] of reds) for (const a of axesList) for (const kd of a === undefined ? [false] : [false, true])
  c(`${nm}(ax=${JSON.stringify(a)},kd=${kd})`, [rshape], [dom], (x) => f(x, a, kd));
c('norm_fro[3,4]', [[3, 4]], ['n'], (x) => dt.norm(x, 'fro'));
c('norm_fro_ax[2,3,4]', [[2, 3, 4]], ['n'], (x) => dt.norm(x, 'fro', [1, 2]));
c('sum_0d', [[]], ['n'], (x) => dt.sum(x.sin()));
c('mean_size1[1,3,1]', [[1, 3, 1]], ['n'], (x) => dt.mean(x, [0, 2], true));
c('prod_size1ax[3,1]', [[3, 1]], ['n'], (x) => dt.prod(x, 1));
for (const ax of [-1, 0, [0, 1], 1]) {
  c(`softmax(ax=${JSON.stringify(ax)})`, [rshape], ['n'], (x) => dt.softmax(x, ax as any));
  c(`logSoftmax(ax=${JSON.stringify(ax)})`, [rshape], ['n'], (x) => dt.logSoftmax(x, ax as any));
}
c('softmax_big', [[2, 5]], ['bigpm'], (x) => dt.softmax(x));
c('logSoftmax_big', [[2, 5]], ['bigpm'], (x) => dt.logSoftmax(x));
for (const ax of [undefined, 0, 1, -1, 2]) {
  c(`cumsum(ax=${ax})`, [rshape], ['n'], (x) => dt.cumsum(x, ax));
  c(`cumprod(ax=${ax})`, [rshape], ['n'], (x) => dt.cumprod(x, ax));
}
c('cumprod_zero', [[5]], ['withzero'], (x) => dt.cumprod(x));
c('prod_zero', [[5]], ['withzero'], (x) => dt.prod(x));
// ---- shape ops
c('reshape', [rshape], ['n'], (x) => dt.reshape(x, [4, 6]).sin());
c('reshape_-1', [rshape], ['n'], (x) => dt.reshape(x, [-1, 3] as any).sin());
c('transpose', [rshape], ['n'], (x) => dt.transpose(x).sin());
c('transpose_perm', [rshape], ['n'], (x) => dt.transpose(x, [1, 2, 0]).sin());
c('swapAxes', [rshape], ['n'], (x) => dt.swapAxes(x, 0, -1).sin());
c('moveAxis', [rshape], ['n'], (x) => dt.moveAxis(x, 0, -1).sin());
c('moveAxis_list', [rshape], ['n'], (x) => dt.moveAxis(x, [0, 1], [2, 0]).sin());
c('expandDims', [[3, 4]], ['n'], (x) => dt.expandDims(x, [0, -1]).sin());
c('squeeze', [[1, 3, 1, 4]], ['n'], (x) => dt.squeeze(x).sin());
c('squeeze_ax', [[1, 3, 1, 4]], ['n'], (x) => dt.squeeze(x, 2).sin());
c('broadcastTo', [[3, 1]], ['n'], (x) => dt.broadcastTo(x, [2, 3, 4]).sin());
c('flip', [rshape], ['n'], (x) => dt.flip(x).sin());
c('flip_ax', [rshape], ['n'], (x) => dt.flip(x, [0, -1]).sin());
// ---- sorting (distinct random values: no ties, where the derivative would follow a convention)
c('sort', [rshape], ['n'], (x) => dt.sort(x).sin());
c('sort_ax0_desc', [rshape], ['n'], (x) => dt.sort(x, 0, { descending: true }).sin());
c('sort_ax1', [rshape], ['n'], (x) => dt.sort(x, 1).mul(x).sin());
c('topK', [[3, 7]], ['n'], (x) => dt.topK(x, 3).values.sin());
c('topK_ax0', [[5, 3]], ['n'], (x) => dt.topK(x, 2, 0).values.exp());
c('takeAlongAxis', [[3, 4]], ['n'], (x) => dt.takeAlongAxis(x, [3, 0, 0, 1, 1, 2, 2, 3, 0], 1).sin());
c('takeAlongAxis_argsort', [[3, 4]], ['n'], (x) => dt.takeAlongAxis(x.square(), dt.argsort(x, 0), 0).sin());
c('quantile', [[3, 5]], ['n'], (x) => dt.quantile(x, [0.1, 0.65], 1).sin());
c('quantile_flat', [[3, 4]], ['n'], (x) => dt.quantile(x, 0.3).mul(x.sum()));
c('median', [[4, 3]], ['n'], (x) => dt.median(x, 0).exp());
c('median_flat', [[5]], ['n'], (x) => dt.median(x).square());
c('roll', [rshape], ['n'], (x) => dt.roll(x, 5).sin());
c('roll_ax', [rshape], ['n'], (x) => dt.roll(x, [1, -2], [1, 2]).sin());
c('repeat', [[2, 3]], ['n'], (x) => dt.repeat(x, 2).sin());
c('repeat_ax', [[2, 3]], ['n'], (x) => dt.repeat(x, [1, 0, 3], 1).sin());
c('tile', [[2, 3]], ['n'], (x) => dt.tile(x, [2, 1, 2]).sin());
c('concat', [[2, 3], [2, 2]], ['n', 'n'], (a, b) => dt.concat([a, b], 1).sin());
c('concat_neg', [[2, 3], [1, 3]], ['n', 'n'], (a, b) => dt.concat([a, b.exp()], -2).sin());
c('stack', [[2, 3], [2, 3]], ['n', 'n'], (a, b) => dt.stack([a, b.exp()], 1).sin());
c('stack_scalar', [[], []], ['n', 'n'], (a, b) => dt.stack([a, b.exp()]).sin());
c('split', [[6, 2]], ['n'], (x) => { const [p, q, r] = dt.split(x, 3); return p.mul(q.sin()).add(r.exp()); });
c('split_cuts', [[2, 7]], ['n'], (x) => { const [p, q] = dt.split(x, [3], 1); return dt.sum(p.sin(), 1).mul(dt.sum(q.square(), 1)); });
c('slice', [[7, 3]], ['n'], (x) => dt.slice(x, 1, 5).sin());
c('slice_step', [[7, 3]], ['n'], (x) => dt.slice(x, -1, null, 0, -2).sin());
c('slice_ax1', [[3, 7]], ['n'], (x) => dt.slice(x, 1, 6, 1, 2).sin());
c('take', [[5, 3]], ['n'], (x) => dt.take(x, [0, 4, 4, -1, 2], 0).sin());
c('take_flat', [[5, 3]], ['n'], (x) => dt.take(x, [0, 14, 7, 7]).sin());
c('take_num', [[5, 3]], ['n'], (x) => dt.take(x, 1, 1).sin());
c('scatterAdd', [[5, 3], [4, 3]], ['n', 'n'], (x, u) => dt.scatterAdd(x.sin(), [0, 2, 2, -1], u.square(), 0));
c('scatterAdd_ax1', [[3, 5], [3]], ['n', 'n'], (x, u) => dt.scatterAdd(x, [1, 1, 3], dt.reshape(u, [3, 1]).exp(), 1).sin());
c('at', [[3, 4]], ['n'], (x) => dt.at(x, [1, 2]).mul(dt.at(x, [2, 3]).sin()));
for (const mode of ['constant', 'reflect', 'edge'] as const) {
  c(`pad_${mode}`, [[3, 4]], ['n'], (x) => dt.pad(x, [[1, 2], [3, 1]], mode, mode === 'constant' ? 0.5 : 0).sin());
  c(`pad_${mode}_big`, [[3]], ['n'], (x) => dt.pad(x, [5, 4], mode).sin());
}
c('tril', [[4, 4]], ['n'], (x) => dt.tril(x).exp());
c('tril_k', [[2, 3, 4]], ['n'], (x) => dt.tril(x, -1).exp());
c('triu_k', [[2, 3, 4]], ['n'], (x) => dt.triu(x, 1).exp());
c('diag_vec', [[3]], ['n'], (x) => dt.diag(x, 1).exp());
c('diag_mat', [[3, 4]], ['n'], (x) => dt.diag(x, -1).exp());
c('matrixTrace', [[3, 4]], ['n'], (x) => dt.matrixTrace(x.exp(), 1));
c('matrixTrace_batch', [[2, 3, 3]], ['n'], (x) => (dt.matrixTrace(x.exp()) as N));
// ---- products
c('matmul', [[3, 4], [4, 2]], ['n', 'n'], (a, b) => dt.matmul(a, b));
c('matmul_sq', [[3, 3]], ['n'], (a) => dt.matmul(a, a));
c('matmul_batch', [[2, 1, 3, 4], [3, 4, 2]], ['n', 'n'], (a, b) => dt.matmul(a, b));
c('matmul_vecL', [[4], [2, 4, 3]], ['n', 'n'], (a, b) => dt.matmul(a, b));
c('matmul_vecR', [[2, 3, 4], [4]], ['n', 'n'], (a, b) => dt.matmul(a, b));
c('matmul_vv', [[4], [4]], ['n', 'n'], (a, b) => dt.matmul(a, b));
c('matmul_tanh', [[3, 4], [4, 2]], ['n', 'n'], (a, b) => dt.matmul(a.tanh(), b).exp());
c('dot', [[4], [4]], ['n', 'n'], (a, b) => dt.dot(a, b.sin()));
c('outer', [[3], [2, 2]], ['n', 'n'], (a, b) => dt.outer(a, b).sin());
const eins: [string, number[][]][] = [
  ['ij,jk->ik', [[3, 4], [4, 2]]], ['ij,jk', [[3, 4], [4, 2]]], ['ii->i', [[3, 3]]], ['ii', [[3, 3]]], ['ij->ji', [[3, 4]]],
  ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]], ['...ij,...jk->...ik', [[2, 3, 4], [4, 2]]], ['i,i->', [[4], [4]]], ['i,j->ij', [[3], [2]]],
  ['ijk,ikl,lm->jm', [[2, 3, 2], [2, 2, 3], [3, 2]]], ['ij,ij,ij->i', [[2, 3], [2, 3], [2, 3]]], ['iij->j', [[2, 2, 3]]],
  ['ab,cb->ac', [[3, 1], [2, 4]]], ['ij->', [[3, 4]]], ['i,i,i->i', [[3], [3], [3]]],
];
for (const [s, sh] of eins) c(`einsum(${s})${JSON.stringify(sh)}`, sh, sh.map(() => 'n'), (...p) => dt.einsum(s, ...p));
c('einsum_same(ij,jk)', [[3, 3]], ['n'], (a) => dt.einsum('ij,jk->ik', a, a.sin()));
const tds: [any, number[][]][] = [[2, [[2, 3, 4], [3, 4, 2]]], [1, [[3, 4], [4, 2]]], [0, [[2, 3], [2]]], [[[0, 2], [1, 0]], [[2, 3, 4], [4, 2, 3]]], [[1, 0], [[3, 4], [4, 2]]]];
for (const [ax, sh] of tds) c(`tensordot(${JSON.stringify(ax)})`, sh, ['n', 'n'], (a, b) => dt.tensordot(a, b, ax));
// ---- linalg
c('solve_vec', [[3, 3], [3]], ['wc', 'n'], (A, b) => dt.solve(A, b));
c('solve_mat', [[3, 3], [3, 2]], ['wc', 'n'], (A, b) => dt.solve(A, b));
c('solve_batch', [[2, 3, 3], [3, 2]], ['wc', 'n'], (A, b) => dt.solve(A, b));
c('solve_batch_bcast', [[2, 1, 3, 3], [3, 3, 1]], ['wc', 'n'], (A, b) => dt.solve(A, b));
c('inv', [[3, 3]], ['wc'], (A) => dt.inv(A));
c('inv_batch', [[2, 3, 3]], ['wc'], (A) => dt.inv(A));
c('inv_1x1', [[1, 1]], ['nz'], (A) => dt.inv(A));
c('det', [[3, 3]], ['wc'], (A) => dt.det(A));
c('det_gen', [[4, 4]], ['n'], (A) => dt.det(A));
c('det_batch', [[2, 3, 3]], ['wc'], (A) => dt.det(A, { batched: true }));
c('logDet', [[3, 3]], ['spd'], (A) => dt.logDet(A));
c('logDet_batch', [[2, 3, 3]], ['spd'], (A) => dt.logDet(A, { batched: true }));
c('slogdet', [[4, 4]], ['n'], (A) => dt.slogdet(A).logAbsDet);
c('slogdet_batch', [[2, 3, 3]], ['n'], (A) => dt.slogdet(A, { batched: true }).logAbsDet);
c('cholesky', [[3, 3]], ['spd'], (A) => dt.cholesky(A));
c('cholesky_batch', [[2, 3, 3]], ['spd'], (A) => dt.cholesky(A));
c('cholesky_of_AAt', [[3, 3]], ['n'], (B) => dt.cholesky(dt.matmul(B, dt.transpose(B)).add(dt.mul(dt.tensor([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]), 0.5))));
// eigh: vectors sign-fixed by dualtape's rule (largest-magnitude component positive); oracle.py applies it to JAX's.
c('eigh_values', [[4, 4]], ['n'], (A) => dt.eigh(A).values);
c('eigh_vectors', [[3, 3]], ['n'], (A) => dt.eigh(A).vectors);
c('eigh_values_batch', [[2, 3, 3]], ['n'], (A) => dt.eigh(A).values);
c('eigh_vectors_batch', [[2, 3, 3]], ['n'], (A) => dt.eigh(A).vectors);
c('eigh_expm', [[3, 3]], ['n'], (A) => { const { values, vectors } = dt.eigh(A); return vectors.mul(values.exp().reshape([1, 3])).matmul(vectors.transpose()); });
// qr: diag(R) ≥ 0 in dualtape; oracle.py applies the same sign rule to JAX's factors (LAPACK does not fix it).
c('qr_q', [[4, 3]], ['n'], (A) => dt.qr(A).q);
c('qr_r', [[4, 3]], ['n'], (A) => dt.qr(A).r);
c('qr_square', [[3, 3]], ['n'], (A) => { const { q, r } = dt.qr(A); return q.matmul(r.exp()); });
c('qr_q_batch', [[2, 4, 2]], ['n'], (A) => dt.qr(A).q);
c('qr_r_batch', [[2, 4, 2]], ['n'], (A) => dt.qr(A).r);
c('qr_wide_q', [[3, 5]], ['n'], (A) => dt.qr(A).q);
c('qr_wide_r', [[3, 5]], ['n'], (A) => dt.qr(A).r);
c('qr_lstsq', [[5, 3], [5]], ['n', 'n'], (A, b) => { const { q, r } = dt.qr(A); return dt.triangularSolve(r, q.transpose().matmul(b), { lower: false }); });
// lu: the same pivots as JAX's (LAPACK's partial pivoting); oracle.py maps jax.scipy.linalg.lu over a stack.
c('lu_l', [[4, 4]], ['n'], (A) => dt.lu(A).l);
c('lu_u', [[4, 4]], ['n'], (A) => dt.lu(A).u);
c('lu_plu', [[3, 3]], ['n'], (A) => { const { p, l, u } = dt.lu(A); return p.matmul(l.exp()).matmul(u); });
c('lu_u_batch', [[2, 3, 3]], ['n'], (A) => dt.lu(A).u);
c('lu_tall_l', [[5, 3]], ['n'], (A) => dt.lu(A).l);
c('lu_tall_u', [[5, 3]], ['n'], (A) => dt.lu(A).u);
c('lu_wide_u', [[3, 5]], ['n'], (A) => dt.lu(A).u);
// svd: right vectors sign-fixed by dualtape's rule (largest-magnitude component positive), U following; oracle.py applies it to JAX's.
c('svd_s', [[4, 3]], ['n'], (A) => dt.svd(A).s);
c('svd_s_wide', [[3, 5]], ['n'], (A) => dt.svd(A).s);
c('svd_u', [[4, 3]], ['n'], (A) => dt.svd(A).u);
c('svd_vt', [[3, 4]], ['n'], (A) => dt.svd(A).vt);
c('svd_square', [[3, 3]], ['n'], (A) => { const { u, vt } = dt.svd(A); return u.matmul(vt.pow(3)); });
c('svd_batch', [[2, 3, 2]], ['n'], (A) => { const { u, s, vt } = dt.svd(A); return u.sin().sum(-1).add(s.log().sum(-1).reshape([2, 1])).add(vt.sum([-1, -2]).reshape([2, 1])); });
c('svd_nuclear', [[3, 4]], ['n'], (A) => dt.svd(A).s.sum());
c('triSolve_lower', [[3, 3], [3]], ['tri', 'n'], (T, b) => dt.triangularSolve(T, b));
c('triSolve_upper_mat', [[3, 3], [3, 2]], ['tri', 'n'], (T, b) => dt.triangularSolve(T, b, { lower: false }));
c('triSolve_lower_T', [[3, 3], [3, 2]], ['tri', 'n'], (T, b) => dt.triangularSolve(T, b, { transpose: true }));
c('triSolve_upper_T_batch', [[2, 3, 3], [3, 2]], ['tri', 'n'], (T, b) => dt.triangularSolve(T, b, { lower: false, transpose: true }));
// ---- conv/pool
c('conv1d', [[2, 7, 2], [3, 2, 3]], ['n', 'n'], (x, f) => dt.conv1d(x, f));
c('conv1d_same_s2', [[2, 7, 2], [3, 2, 3]], ['n', 'n'], (x, f) => dt.conv1d(x, f, { padding: 'same', stride: 2 }));
c('conv1d_dil', [[1, 8, 2], [3, 2, 2]], ['n', 'n'], (x, f) => dt.conv1d(x, f, { dilation: 2, padding: [1, 2] }));
c('conv2d', [[2, 5, 4, 2], [3, 2, 2, 3]], ['n', 'n'], (x, f) => dt.conv2d(x, f));
c('conv2d_same', [[1, 5, 4, 2], [3, 3, 2, 2]], ['n', 'n'], (x, f) => dt.conv2d(x, f, { padding: 'same' }));
c('conv2d_same_s2', [[1, 6, 5, 2], [3, 2, 2, 2]], ['n', 'n'], (x, f) => dt.conv2d(x, f, { padding: 'same', stride: 2 }));
c('conv2d_pad4_dil', [[1, 6, 5, 1], [2, 2, 1, 2]], ['n', 'n'], (x, f) => dt.conv2d(x, f, { padding: [1, 0, 2, 1], dilation: [2, 1], stride: [1, 2] }));
c('conv2d_groups', [[1, 4, 4, 4], [2, 2, 2, 6]], ['n', 'n'], (x, f) => dt.conv2d(x, f, { groups: 2 }));
c('conv2d_tanh', [[1, 4, 4, 2], [2, 2, 2, 2]], ['n', 'n'], (x, f) => dt.conv2d(x.tanh(), f).square());
c('maxPool2d', [[1, 4, 6, 2]], ['n'], (x) => dt.maxPool2d(x, 2).sin());
c('maxPool2d_same_s1', [[1, 4, 5, 1]], ['n'], (x) => dt.maxPool2d(x, [2, 3], { stride: 1, padding: 'same' }).sin());
c('avgPool2d', [[1, 4, 6, 2]], ['n'], (x) => dt.avgPool2d(x, 2).sin());
c('avgPool2d_same', [[1, 5, 5, 1]], ['n'], (x) => dt.avgPool2d(x, 3, { stride: 2, padding: 'same' }).sin());
c('avgPool2d_pad', [[1, 4, 4, 1]], ['n'], (x) => dt.avgPool2d(x, 2, { stride: 1, padding: 1 }).sin());
// ---- compositions
c('comp_lse_matmul_tanh', [[3, 4], [4, 5]], ['n', 'n'], (x, W) => dt.logSumExp(dt.matmul(x.tanh(), W), -1));
c('comp_slogdet_rank1', [[3]], ['n'], (x) => dt.slogdet(dt.tensor([2, 0.3, 0, 0.3, 1.5, 0.1, 0, 0.1, 1], [3, 3]).add(dt.outer(x, x))).logAbsDet);
c('comp_softmax_cross', [[4, 3]], ['n'], (x) => dt.sum(dt.logSoftmax(x.mul(2), -1).mul(dt.softmax(x.sin(), 0)), 1));
c('comp_norm_layer', [[3, 5]], ['n'], (x) => x.sub(dt.mean(x, -1, true)).div(dt.std(x, -1, true).add(0.1)).tanh());
c('comp_solve_sym', [[3, 3], [3]], ['wc', 'n'], (A, b) => dt.dot(b, dt.solve(dt.matmul(A, dt.transpose(A)), b.exp())));
c('comp_chol_trisolve', [[3, 3], [3, 2]], ['spd', 'n'], (A, b) => { const L = dt.cholesky(A); return dt.triangularSolve(L, dt.triangularSolve(L, b), { transpose: true }); });
c('comp_gp_nll', [[4], [4]], ['n', 'n'], (x, y) => {
  const d = dt.sub(dt.reshape(x, [4, 1]), dt.reshape(x, [1, 4]));
  const K = dt.exp(d.square().mul(-0.5)).add(dt.mul(dt.tensor([1,0,0,0,0,1,0,0,0,0,1,0,0,0,0,1],[4,4]), 0.3));
  return dt.dot(y, dt.solve(K, y)).add(dt.logDet(K));
});
c('comp_cumsum_lgamma', [[6]], ['pos'], (x) => dt.lgamma(dt.cumsum(x)).add(dt.digamma(x.exp())));
c('comp_maxpool_conv', [[1, 5, 5, 1], [2, 2, 1, 2]], ['n', 'n'], (x, f) => dt.avgPool2d(dt.conv2d(x, f, { padding: 'same' }).tanh(), 2, { padding: 'same' } as any));
c('comp_prod_sigmoid', [[3, 4]], ['n'], (x) => dt.prod(x.sigmoid().add(0.5), 0));
c('comp_einsum_inv', [[3, 3], [3]], ['wc', 'n'], (A, x) => dt.einsum('i,ij,j->', x, dt.inv(A), x.sin()));
c('comp_det_expm', [[3, 3]], ['n'], (A) => dt.det(A.mul(0.3).exp().add(dt.tensor([2, 0, 0, 0, 2, 0, 0, 0, 2], [3, 3]))));
c('comp_logaddexp_cummax', [[5], [5]], ['n', 'n'], (a, b) => dt.logAddExp(dt.cumsum(a), b.square()).mul(dt.maximum(a, b)));
c('comp_var_norm', [[2, 6]], ['n'], (x) => dt.variance(dt.norm(x.reshape ? x : x, 2, 0, true).mul(x), -1));
c('comp_erf_pad_roll', [[3, 4]], ['n'], (x) => dt.erf(dt.roll(dt.pad(x, 1, 'reflect'), 2, 0)).mul(dt.gelu(dt.pad(x, 1, 'edge'))));
c('comp_div_pow_hypot', [[4], [4]], ['pos', 'n'], (a, b) => dt.div(dt.pow(a, b.tanh()), dt.hypot(a, b)));
c('comp_softplus_logit', [[5]], ['prob'], (x) => dt.softplus(dt.logit(x).mul(3)).mul(dt.log1p(x.neg())));
c('comp_polygamma_nest', [[4]], ['pos'], (x) => dt.polygamma(1, dt.exp(x).add(0.5)).mul(dt.lgamma(x.add(1))));
