"""JAX's side of the differential test (see run.ts): reads the JSON that run.ts wrote, computes every
quantity with JAX float64 on the same inputs, and prints FLAG lines where the relative difference
max|a − b| / max(|a|, |b|, 1e-5·scale) exceeds 1e-10, then the 60 largest differences. Where the
true derivative is 0, or near a kink or a documented convention (docs/conventions.md), a flag is
expected: arbitrate with mpmath or finite differences before calling it a bug.

    .venv/bin/python benchmarks/jax/differential/oracle.py OUT.json [NAME-FILTER]
"""
import jax; jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp, numpy as np, json, sys, re, math
from jax import lax
import jax.scipy.special as jss
J = {}
def c(name, fn): J[name] = fn
unary = {
 'abs': jnp.abs, 'acos': jnp.arccos, 'acosh': jnp.arccosh, 'asin': jnp.arcsin, 'asinh': jnp.arcsinh, 'atan': jnp.arctan,
 'atanh': jnp.arctanh, 'cbrt': jnp.cbrt, 'cos': jnp.cos, 'cosh': jnp.cosh, 'digamma': jss.digamma, 'digamma_neg': jss.digamma,
 'elu': jax.nn.elu, 'elu07': lambda x: jax.nn.elu(x, 0.7), 'erf': jss.erf, 'erfc': jss.erfc, 'erfc_big': jss.erfc, 'exp': jnp.exp,
 'exp2': jnp.exp2, 'expm1': jnp.expm1, 'gelu': lambda x: jax.nn.gelu(x, approximate=False), 'gelu_neg': lambda x: jax.nn.gelu(x, approximate=False),
 'leakyRelu': lambda x: jax.nn.leaky_relu(x, 0.01), 'leakyRelu02': lambda x: jax.nn.leaky_relu(x, 0.2),
 'lgamma': jss.gammaln, 'lgamma_neg': jss.gammaln, 'lgamma_big': jss.gammaln, 'log': jnp.log, 'log10': jnp.log10, 'log1p': jnp.log1p,
 'log2': jnp.log2, 'logit': jss.logit, 'logit_edge': jss.logit, 'neg': jnp.negative,
 'polygamma0': lambda x: jss.polygamma(0, x), 'polygamma1': lambda x: jss.polygamma(1, x), 'polygamma2': lambda x: jss.polygamma(2, x),
 'polygamma3': lambda x: jss.polygamma(3, x), 'polygamma1_neg': lambda x: jss.polygamma(1, x), 'polygamma2_neg': lambda x: jss.polygamma(2, x),
 'polygamma1_large': lambda x: jss.polygamma(1, x),
 'reciprocal': jnp.reciprocal, 'relu': jax.nn.relu, 'rsqrt': lax.rsqrt, 'sigmoid': jax.nn.sigmoid, 'sigmoid_big': jax.nn.sigmoid,
 'sign': jnp.sign, 'floor': jnp.floor, 'ceil': jnp.ceil, 'round': jnp.round, 'silu': jax.nn.silu, 'silu_big': jax.nn.silu,
 'sin': jnp.sin, 'sinh': jnp.sinh, 'softplus': jax.nn.softplus, 'softplus_big': jax.nn.softplus, 'sqrt': jnp.sqrt, 'square': jnp.square,
 'tan': jnp.tan, 'tanh': jnp.tanh, 'tanh_big': jnp.tanh, 'digamma_small': jss.digamma, 'lgamma_small': jss.gammaln, 'expm1_small': jnp.expm1,
 'log1p_small': jnp.log1p, 'asinh_big': jnp.arcsinh, 'acosh_near1': jnp.arccosh, 'atanh_near1': jnp.arctanh,
 'logSigmoid': jax.nn.log_sigmoid, 'logSigmoid_big': jax.nn.log_sigmoid, 'sinc': jnp.sinc, 'sinc_small': jnp.sinc, 'sinc_tiny': jnp.sinc,
 'sinc_wide': jnp.sinc, 'erfinv': jss.erfinv, 'erfinv_edge': jss.erfinv, 'ndtr': jss.ndtr, 'ndtr_neg': jss.ndtr, 'logNdtr': jss.log_ndtr,
 'logNdtr_neg': jss.log_ndtr, 'logNdtr_big': jss.log_ndtr, 'selu': jax.nn.selu, 'celu': jax.nn.celu, 'celu07': lambda x: jax.nn.celu(x, 0.7),
 'softsign': jax.nn.soft_sign, 'mish': jax.nn.mish, 'mish_big': jax.nn.mish, 'relu6': jax.nn.relu6, 'hardTanh': jax.nn.hard_tanh,
}
for k, f in unary.items():
    c(f'{k}[3,4]', f); c(f'{k}[]', f)
c('method.tanh.square.exp', lambda x: jnp.exp(jnp.square(jnp.tanh(x))))
bsh = [([3,4],[3,4]), ([3,4],[4]), ([2,1,4],[3,1]), ([],[3]), ([3,1],[]), ([1],[2,3])]
binary = {'add': jnp.add, 'sub': jnp.subtract, 'mul': jnp.multiply, 'div': jnp.divide, 'pow': jnp.power, 'atan2': jnp.arctan2,
 'hypot': jnp.hypot, 'logAddExp': jnp.logaddexp, 'maximum': jnp.maximum, 'minimum': jnp.minimum, 'atan2neg': jnp.arctan2,
 'xlogy': jss.xlogy, 'xlog1py': jss.xlog1py}
js = lambda s: json.dumps(s, separators=(',', ':'))
for k, f in binary.items():
    for sa, sb in bsh: c(f'{k}{js(sa)}{js(sb)}', f)
c('pow_const3[3,4]', lambda x: x**3); c('pow_const2.5[3,4]', lambda x: x**2.5); c('pow_const-1.5[3,4]', lambda x: x**-1.5)
c('pow_base2[3,4]', lambda x: jnp.power(2.5, x)); c('mul_num[3]', lambda x: x*2.5); c('div_num_rev[3]', lambda x: 2.5/x)
c('sub_num_rev[3]', lambda x: 2.5-x); c('x_times_x[3]', lambda x: x*x); c('x_pow_x[3]', lambda x: x**x); c('x_div_x_sin[3]', lambda x: jnp.sin(x)/x)
c('clip_num[3,4]', lambda x: jnp.clip(x, -0.5, 0.7)); c('clip_node[3,4][4][3,1]', lambda x, lo, hi: jnp.minimum(jnp.maximum(x, lo), hi))
c('clip_inf[3,4]', lambda x: jnp.minimum(x, 0.3))
m34 = jnp.array([1,0,1,1,0,0,1,0,1,0,0,1], bool)
c('where[3,4]', lambda a, b: jnp.where(m34.reshape(3,4), jnp.sin(a), jnp.exp(b)))
c('where_flatmask[12]', lambda a, b: jnp.where(m34, jnp.sin(a), jnp.exp(b)))
c('where_bcast[3,4][4]', lambda a, b: jnp.where(m34.reshape(3,4), a, jnp.square(b)))
c('where_num[3,4]', lambda a: jnp.where(m34.reshape(3,4), jnp.cos(a), 0.5))
axesList = [None, 0, -1, 1, [0,2], [-1,-2], [0,1,2]]
def T(a): return tuple(a) if isinstance(a, list) else a
vn = lambda o: (lambda x, a, k: jnp.linalg.vector_norm(x, ord=o, axis=T(a), keepdims=k))
reds = {'sum': lambda x,a,k: jnp.sum(x, T(a), keepdims=k), 'mean': lambda x,a,k: jnp.mean(x, T(a), keepdims=k),
 'max': lambda x,a,k: jnp.max(x, T(a), keepdims=k), 'min': lambda x,a,k: jnp.min(x, T(a), keepdims=k),
 'prod': lambda x,a,k: jnp.prod(x, T(a), keepdims=k), 'logSumExp': lambda x,a,k: jss.logsumexp(x, T(a), keepdims=k),
 'variance': lambda x,a,k: jnp.var(x, T(a), keepdims=k), 'variance_ddof1': lambda x,a,k: jnp.var(x, T(a), keepdims=k, ddof=1),
 'std': lambda x,a,k: jnp.std(x, T(a), keepdims=k), 'std_ddof1': lambda x,a,k: jnp.std(x, T(a), keepdims=k, ddof=1),
 'norm2': vn(2), 'norm1': vn(1), 'norm3': vn(3), 'norm0.5': vn(0.5), 'normInf': vn(jnp.inf), 'normNegInf': vn(-jnp.inf), 'norm-1.5': vn(-1.5)}
for k, f in reds.items():
    for a in axesList:
        for kd in ([False] if a is None else [False, True]):
            c(f'{k}(ax={"undefined" if a is None else js(a)},kd={"true" if kd else "false"})', (lambda f, a, kd: lambda x: f(x, a, kd))(f, a, kd))
c('norm_fro[3,4]', lambda x: jnp.linalg.norm(x, 'fro')); c('norm_fro_ax[2,3,4]', lambda x: jnp.linalg.norm(x, 'fro', axis=(1,2)))
c('sum_0d', lambda x: jnp.sum(jnp.sin(x))); c('mean_size1[1,3,1]', lambda x: jnp.mean(x, (0,2), keepdims=True)); c('prod_size1ax[3,1]', lambda x: jnp.prod(x, 1))
for ax in [-1, 0, [0,1], 1]:
    c(f'softmax(ax={js(ax)})', (lambda ax: lambda x: jax.nn.softmax(x, axis=T(ax)))(ax))
    c(f'logSoftmax(ax={js(ax)})', (lambda ax: lambda x: jax.nn.log_softmax(x, axis=T(ax)))(ax))
c('softmax_big', lambda x: jax.nn.softmax(x, -1)); c('logSoftmax_big', lambda x: jax.nn.log_softmax(x, -1))
for ax in [None, 0, 1, -1, 2]:
    c(f'cumsum(ax={"undefined" if ax is None else ax})', (lambda ax: lambda x: jnp.cumsum(x, ax))(ax))
    c(f'cumprod(ax={"undefined" if ax is None else ax})', (lambda ax: lambda x: jnp.cumprod(x, ax))(ax))
c('cumprod_zero', jnp.cumprod); c('prod_zero', jnp.prod)
S = jnp.sin
c('reshape', lambda x: S(x.reshape(4,6))); c('reshape_-1', lambda x: S(x.reshape(-1,3))); c('transpose', lambda x: S(x.T))
c('transpose_perm', lambda x: S(jnp.transpose(x, (1,2,0)))); c('swapAxes', lambda x: S(jnp.swapaxes(x, 0, -1)))
c('moveAxis', lambda x: S(jnp.moveaxis(x, 0, -1))); c('moveAxis_list', lambda x: S(jnp.moveaxis(x, (0,1), (2,0))))
c('expandDims', lambda x: S(jnp.expand_dims(x, (0,-1)))); c('squeeze', lambda x: S(jnp.squeeze(x))); c('squeeze_ax', lambda x: S(jnp.squeeze(x, 2)))
c('broadcastTo', lambda x: S(jnp.broadcast_to(x, (2,3,4)))); c('flip', lambda x: S(jnp.flip(x))); c('flip_ax', lambda x: S(jnp.flip(x, (0,-1))))
c('sort', lambda x: S(jnp.sort(x))); c('sort_ax0_desc', lambda x: S(jnp.sort(x, axis=0, descending=True)))
c('sort_ax1', lambda x: S(jnp.sort(x, axis=1) * x)); c('topK', lambda x: S(lax.top_k(x, 3)[0]))
c('topK_ax0', lambda x: jnp.exp(jnp.moveaxis(lax.top_k(jnp.moveaxis(x, 0, -1), 2)[0], -1, 0)))
c('takeAlongAxis', lambda x: S(jnp.take_along_axis(x, jnp.array([3,0,0,1,1,2,2,3,0]).reshape(3,3), axis=1)))
c('takeAlongAxis_argsort', lambda x: S(jnp.take_along_axis(jnp.square(x), jnp.argsort(x, axis=0), axis=0)))
c('quantile', lambda x: S(jnp.quantile(x, jnp.array([0.1, 0.65]), axis=1))); c('quantile_flat', lambda x: jnp.quantile(x, 0.3) * jnp.sum(x))
c('median', lambda x: jnp.exp(jnp.median(x, axis=0))); c('median_flat', lambda x: jnp.square(jnp.median(x)))
c('roll', lambda x: S(jnp.roll(x, 5))); c('roll_ax', lambda x: S(jnp.roll(x, (1,-2), (1,2))))
c('repeat', lambda x: S(jnp.repeat(x, 2))); c('repeat_ax', lambda x: S(jnp.repeat(x, jnp.array([1,0,3]), axis=1, total_repeat_length=4)))
c('tile', lambda x: S(jnp.tile(x, (2,1,2)))); c('concat', lambda a, b: S(jnp.concatenate([a, b], 1)))
c('concat_neg', lambda a, b: S(jnp.concatenate([a, jnp.exp(b)], -2))); c('stack', lambda a, b: S(jnp.stack([a, jnp.exp(b)], 1)))
c('stack_scalar', lambda a, b: S(jnp.stack([a, jnp.exp(b)])))
def _split(x):
    p, q, r = jnp.split(x, 3); return p*jnp.sin(q) + jnp.exp(r)
c('split', _split)
def _split2(x):
    p, q = jnp.split(x, [3], axis=1); return jnp.sum(jnp.sin(p), 1) * jnp.sum(jnp.square(q), 1)
c('split_cuts', _split2)
c('slice', lambda x: S(x[1:5])); c('slice_step', lambda x: S(x[-1::-2])); c('slice_ax1', lambda x: S(x[:, 1:6:2]))
c('take', lambda x: S(jnp.take(x, jnp.array([0,4,4,-1,2]), axis=0, mode='wrap'))); c('take_flat', lambda x: S(jnp.take(x, jnp.array([0,14,7,7]))))
c('take_num', lambda x: S(jnp.take(x, 1, axis=1)))
c('scatterAdd', lambda x, u: jnp.sin(x).at[jnp.array([0,2,2,4])].add(jnp.square(u)))
c('scatterAdd_ax1', lambda x, u: S(x.at[:, jnp.array([1,1,3])].add(jnp.exp(u.reshape(3,1)))))
c('at', lambda x: x[1,2]*jnp.sin(x[2,3]))
for mode in ['constant', 'reflect', 'edge']:
    if mode == 'constant':
        c(f'pad_{mode}', lambda x: S(jnp.pad(x, ((1,2),(3,1)), constant_values=0.5)))
    else:
        c(f'pad_{mode}', (lambda mode: lambda x: S(jnp.pad(x, ((1,2),(3,1)), mode=mode)))(mode))
    c(f'pad_{mode}_big', (lambda mode: lambda x: S(jnp.pad(x, (5,4), mode=mode)))(mode))
E = jnp.exp
c('tril', lambda x: E(jnp.tril(x))); c('tril_k', lambda x: E(jnp.tril(x, -1))); c('triu_k', lambda x: E(jnp.triu(x, 1)))
c('diag_vec', lambda x: E(jnp.diag(x, 1))); c('diag_mat', lambda x: E(jnp.diag(x, -1)))
c('matrixTrace', lambda x: jnp.trace(E(x), 1)); c('matrixTrace_batch', lambda x: jnp.trace(E(x), axis1=-2, axis2=-1))
mm = jnp.matmul
c('matmul', mm); c('matmul_sq', lambda a: a@a); c('matmul_batch', mm); c('matmul_vecL', mm); c('matmul_vecR', mm); c('matmul_vv', mm)
c('matmul_tanh', lambda a, b: E(jnp.tanh(a)@b)); c('dot', lambda a, b: jnp.dot(a, jnp.sin(b))); c('outer', lambda a, b: S(jnp.outer(a, b)))
eins = [['ij,jk->ik', [[3,4],[4,2]]], ['ij,jk', [[3,4],[4,2]]], ['ii->i', [[3,3]]], ['ii', [[3,3]]], ['ij->ji', [[3,4]]],
  ['bij,bjk->bik', [[2,3,4],[2,4,2]]], ['...ij,...jk->...ik', [[2,3,4],[4,2]]], ['i,i->', [[4],[4]]], ['i,j->ij', [[3],[2]]],
  ['ijk,ikl,lm->jm', [[2,3,2],[2,2,3],[3,2]]], ['ij,ij,ij->i', [[2,3],[2,3],[2,3]]], ['iij->j', [[2,2,3]]],
  ['ab,cb->ac', [[3,1],[2,4]]], ['ij->', [[3,4]]], ['i,i,i->i', [[3],[3],[3]]]]
for s, sh in eins:
    c(f'einsum({s}){js(sh)}', (lambda s: lambda *p: jnp.einsum(s, *p))(s))
c('einsum_same(ij,jk)', lambda a: jnp.einsum('ij,jk->ik', a, jnp.sin(a)))
for ax in [2, 1, 0, [[0,2],[1,0]], [1,0]]:
    c(f'tensordot({js(ax)})', (lambda ax: lambda a, b: jnp.tensordot(a, b, ax if isinstance(ax, int) else tuple(ax)))(ax))
def bsolve(A, b):
    if b.ndim == 1: return jnp.linalg.solve(A, b[..., None])[..., 0] if A.ndim == 2 else jnp.linalg.solve(A, jnp.broadcast_to(b, A.shape[:-1])[..., None])[..., 0]
    bs = jnp.broadcast_shapes(A.shape[:-2], b.shape[:-2])
    return jnp.linalg.solve(jnp.broadcast_to(A, bs + A.shape[-2:]), jnp.broadcast_to(b, bs + b.shape[-2:]))
c('solve_vec', bsolve); c('solve_mat', bsolve); c('solve_batch', bsolve); c('solve_batch_bcast', bsolve)
c('inv', jnp.linalg.inv); c('inv_batch', jnp.linalg.inv); c('inv_1x1', jnp.linalg.inv)
c('det', jnp.linalg.det); c('det_gen', jnp.linalg.det); c('det_batch', jnp.linalg.det)
c('logDet', lambda A: jnp.linalg.slogdet(A)[1]); c('logDet_batch', lambda A: jnp.linalg.slogdet(A)[1])
c('slogdet', lambda A: jnp.linalg.slogdet(A)[1]); c('slogdet_batch', lambda A: jnp.linalg.slogdet(A)[1])
chol = lambda A: jnp.linalg.cholesky((A + jnp.swapaxes(A, -1, -2)) / 2)
c('cholesky', chol); c('cholesky_batch', chol); c('cholesky_of_AAt', lambda B: chol(B@B.T + 0.5*jnp.eye(3)))
def eigh_signed(A):
    # dualtape's sign rule: each vector's largest-magnitude component positive (piecewise constant).
    w, V = jnp.linalg.eigh(A, symmetrize_input=True)
    top = jnp.take_along_axis(V, jnp.argmax(jnp.abs(V), axis=-2, keepdims=True), axis=-2)
    return w, V * jnp.sign(top)
c('eigh_values', lambda A: eigh_signed(A)[0]); c('eigh_values_batch', lambda A: eigh_signed(A)[0])
c('eigh_vectors', lambda A: eigh_signed(A)[1]); c('eigh_vectors_batch', lambda A: eigh_signed(A)[1])
c('eigh_expm', lambda A: (lambda w, V: (V * jnp.exp(w)[None, :]) @ V.T)(*eigh_signed(A)))
def qr_signed(A):
    # dualtape's sign rule: diag(R) >= 0 (piecewise constant), so Q's columns and R's rows by sign(diag R).
    Q, R = jnp.linalg.qr(A, mode='reduced')
    s = jnp.sign(jnp.diagonal(R, axis1=-2, axis2=-1))
    return Q * s[..., None, :], R * s[..., :, None]
c('qr_q', lambda A: qr_signed(A)[0]); c('qr_q_batch', lambda A: qr_signed(A)[0])
c('qr_r', lambda A: qr_signed(A)[1]); c('qr_r_batch', lambda A: qr_signed(A)[1])
c('qr_wide_q', lambda A: qr_signed(A)[0]); c('qr_wide_r', lambda A: qr_signed(A)[1])
c('qr_square', lambda A: (lambda Q, R: Q @ jnp.exp(R))(*qr_signed(A)))
c('qr_lstsq', lambda A, b: (lambda Q, R: tsolve(R, Q.T @ b, lower=False))(*qr_signed(A)))
lu3 = lambda A: jax.vmap(jax.scipy.linalg.lu)(A) if A.ndim == 3 else jax.scipy.linalg.lu(A)
c('lu_l', lambda A: lu3(A)[1]); c('lu_u', lambda A: lu3(A)[2]); c('lu_u_batch', lambda A: lu3(A)[2])
c('lu_tall_l', lambda A: lu3(A)[1]); c('lu_tall_u', lambda A: lu3(A)[2]); c('lu_wide_u', lambda A: lu3(A)[2])
c('lu_plu', lambda A: (lambda P, L, U: P @ jnp.exp(L) @ U)(*lu3(A)))
def svd_signed(A):
    # dualtape's sign rule: each right vector's largest-magnitude component positive, U's column with it.
    U, s, Vt = jnp.linalg.svd(A, full_matrices=False)
    sign = jnp.sign(jnp.take_along_axis(Vt, jnp.argmax(jnp.abs(Vt), axis=-1, keepdims=True), axis=-1))
    return U * jnp.swapaxes(sign, -1, -2), s, Vt * sign
c('svd_s', lambda A: svd_signed(A)[1]); c('svd_s_wide', lambda A: svd_signed(A)[1]); c('svd_nuclear', lambda A: svd_signed(A)[1].sum())
c('svd_u', lambda A: svd_signed(A)[0]); c('svd_vt', lambda A: svd_signed(A)[2])
c('svd_square', lambda A: (lambda U, s, Vt: U @ Vt**3)(*svd_signed(A)))
c('svd_batch', lambda A: (lambda U, s, Vt: jnp.sin(U).sum(-1) + jnp.log(s).sum(-1)[:, None] + Vt.sum((-1, -2))[:, None])(*svd_signed(A)))
def tsolve(T, b, lower=True, trans=False):
    M = jnp.tril(T) if lower else jnp.triu(T)
    if trans: M = jnp.swapaxes(M, -1, -2)
    return bsolve(M, b)
c('triSolve_lower', tsolve); c('triSolve_upper_mat', lambda T, b: tsolve(T, b, False)); c('triSolve_lower_T', lambda T, b: tsolve(T, b, True, True))
c('triSolve_upper_T_batch', lambda T, b: tsolve(T, b, False, True))
def conv(x, f, stride=1, padding='VALID', dil=1, groups=1, nd=2):
    dn = ('NHWC', 'HWIO', 'NHWC') if nd == 2 else ('NWC', 'WIO', 'NWC')
    st = (stride,)*nd if isinstance(stride, int) else tuple(stride)
    dl = (dil,)*nd if isinstance(dil, int) else tuple(dil)
    return lax.conv_general_dilated(x, f, st, padding, rhs_dilation=dl, dimension_numbers=dn, feature_group_count=groups)
c('conv1d', lambda x, f: conv(x, f, nd=1)); c('conv1d_same_s2', lambda x, f: conv(x, f, 2, 'SAME', nd=1))
c('conv1d_dil', lambda x, f: conv(x, f, 1, [(1,2)], 2, nd=1)); c('conv2d', conv); c('conv2d_same', lambda x, f: conv(x, f, 1, 'SAME'))
c('conv2d_same_s2', lambda x, f: conv(x, f, 2, 'SAME')); c('conv2d_pad4_dil', lambda x, f: conv(x, f, (1,2), [(1,0),(2,1)], (2,1)))
c('conv2d_groups', lambda x, f: conv(x, f, groups=2)); c('conv2d_tanh', lambda x, f: jnp.square(conv(jnp.tanh(x), f)))
def maxpool(x, size, stride=None, padding='VALID'):
    size = (size, size) if isinstance(size, int) else tuple(size); stride = size if stride is None else ((stride,)*2 if isinstance(stride, int) else tuple(stride))
    if isinstance(padding, int): padding = ((0,0),(padding,padding),(padding,padding),(0,0))
    return lax.reduce_window(x, -jnp.inf, lax.max, (1,)+size+(1,), (1,)+stride+(1,), padding)
def avgpool(x, size, stride=None, padding='VALID'):
    size = (size, size) if isinstance(size, int) else tuple(size); stride = size if stride is None else ((stride,)*2 if isinstance(stride, int) else tuple(stride))
    if isinstance(padding, int): padding = ((0,0),(padding,padding),(padding,padding),(0,0))
    s = lax.reduce_window(x, 0., lax.add, (1,)+size+(1,), (1,)+stride+(1,), padding)
    n = lax.reduce_window(jnp.ones_like(x), 0., lax.add, (1,)+size+(1,), (1,)+stride+(1,), padding)
    return s / n
c('maxPool2d', lambda x: S(maxpool(x, 2))); c('maxPool2d_same_s1', lambda x: S(maxpool(x, [2,3], 1, 'SAME')))
c('avgPool2d', lambda x: S(avgpool(x, 2))); c('avgPool2d_same', lambda x: S(avgpool(x, 3, 2, 'SAME'))); c('avgPool2d_pad', lambda x: S(avgpool(x, 2, 1, 1)))
c('comp_lse_matmul_tanh', lambda x, W: jss.logsumexp(jnp.tanh(x)@W, -1))
c('comp_slogdet_rank1', lambda x: jnp.linalg.slogdet(jnp.array([[2,0.3,0],[0.3,1.5,0.1],[0,0.1,1]]) + jnp.outer(x, x))[1])
c('comp_softmax_cross', lambda x: jnp.sum(jax.nn.log_softmax(2*x, -1) * jax.nn.softmax(jnp.sin(x), 0), 1))
c('comp_norm_layer', lambda x: jnp.tanh((x - jnp.mean(x, -1, keepdims=True)) / (jnp.std(x, -1, keepdims=True) + 0.1)))
c('comp_solve_sym', lambda A, b: jnp.dot(b, jnp.linalg.solve(A@A.T, jnp.exp(b))))
def _cts(A, b):
    L = chol(A); return tsolve(L, tsolve(L, b), True, True)
c('comp_chol_trisolve', _cts)
def _gp(x, y):
    d = x.reshape(4,1) - x.reshape(1,4); K = jnp.exp(-0.5*d**2) + 0.3*jnp.eye(4)
    return jnp.dot(y, jnp.linalg.solve(K, y)) + jnp.linalg.slogdet(K)[1]
c('comp_gp_nll', _gp)
c('comp_cumsum_lgamma', lambda x: jss.gammaln(jnp.cumsum(x)) + jss.digamma(jnp.exp(x)))
c('comp_maxpool_conv', lambda x, f: avgpool(jnp.tanh(conv(x, f, 1, 'SAME')), 2, None, 'SAME'))
c('comp_prod_sigmoid', lambda x: jnp.prod(jax.nn.sigmoid(x) + 0.5, 0))
c('comp_einsum_inv', lambda A, x: jnp.einsum('i,ij,j->', x, jnp.linalg.inv(A), jnp.sin(x)))
c('comp_det_expm', lambda A: jnp.linalg.det(jnp.exp(0.3*A) + 2*jnp.eye(3)))
c('comp_logaddexp_cummax', lambda a, b: jnp.logaddexp(jnp.cumsum(a), b**2) * jnp.maximum(a, b))
c('comp_var_norm', lambda x: jnp.var(jnp.linalg.vector_norm(x, ord=2, axis=0, keepdims=True) * x, -1))
c('comp_erf_pad_roll', lambda x: jss.erf(jnp.roll(jnp.pad(x, 1, 'reflect'), 2, 0)) * jax.nn.gelu(jnp.pad(x, 1, 'edge'), approximate=False))
c('comp_div_pow_hypot', lambda a, b: jnp.power(a, jnp.tanh(b)) / jnp.hypot(a, b))
c('comp_softplus_logit', lambda x: jax.nn.softplus(3*jss.logit(x)) * jnp.log1p(-x))
c('comp_polygamma_nest', lambda x: jss.polygamma(1, jnp.exp(x) + 0.5) * jss.gammaln(x + 1))

def tonum(a):
    if isinstance(a, list): return [tonum(b) for b in a]
    if isinstance(a, str): return float(a.replace('Infinity', 'inf'))
    return a
def relerr(a, b, floor=1e-300):
    a = np.asarray(a, float).ravel(); b = np.asarray(b, float).ravel()
    if a.shape != b.shape: return ('SHAPE', a.shape, b.shape)
    fa, fb = np.isfinite(a), np.isfinite(b)
    if (fa != fb).any() or (~fa & (a != b) & ~(np.isnan(a) & np.isnan(b))).any(): return ('NONFINITE', int((fa != fb).sum()))
    if not fa.any(): return 0.0
    d = np.max(np.abs(a[fa] - b[fa])); s = max(np.max(np.abs(a[fa])), np.max(np.abs(b[fa])), floor)
    return float(d / s)

def run(rec):
    name = rec['name']
    if name not in J: return {'missing': True}
    op = J[name]
    shapes = rec['shapes']; sizes = [int(np.prod(s)) for s in shapes]
    x = jnp.array(rec['x'], float); v = jnp.array(rec['v'], float); u = jnp.array(rec['u'], float); n = x.size
    def g(x):
        parts = []; o = 0
        for s, k in zip(shapes, sizes): parts.append(x[o:o+k].reshape(s)); o += k
        return op(*parts)
    outShape = list(np.shape(jax.eval_shape(g, x).shape))
    exp_shape = list(jax.eval_shape(g, x).shape)
    w = jnp.array(rec['w'], float).reshape(rec['outShape'])
    f = lambda x: jnp.sum(w * g(x))
    gradf = jax.grad(f)
    hvpf = lambda x, v: jax.jvp(gradf, (x,), (v,))[1]
    out = {'_shape': exp_shape}
    R = {}
    R['value'] = f(x); R['grad'] = gradf(x); hv = hvpf(x, v); R['hvp'] = hv
    R['gah'] = jnp.concatenate([jnp.array([R['value']]), R['grad'], hv]); R['jvp'] = jnp.dot(R['grad'], v)
    res = rec['res']
    if 'hessian' in res: R['hessian'] = jax.hessian(f)(x).ravel()
    if 'jacobian' in res: R['jacobian'] = jax.jacobian(lambda x: g(x).ravel())(x).ravel()
    if 'vjp' in res: R['vjp'] = R['grad']
    t3 = jax.grad(lambda x: jnp.dot(hvpf(x, v), u))(x)
    R['t3_grad_of_hvp'] = R['t3_hvp_of_grad'] = R['t3_jvp_gah'] = t3
    R['t3_jvp_gah'] = jnp.dot(t3, u)
    if 't4_hvp_hvp' in res: R['t4_hvp_hvp'] = jax.jvp(jax.grad(lambda x: jnp.dot(hvpf(x, v), u)), (x,), (u,))[1]
    ref = max(float(jnp.max(jnp.abs(jnp.concatenate([R['grad'], R['hvp'], jnp.array([R['value']])])))), 1e-300)
    ref = ref if np.isfinite(ref) else 1e-300
    for k, val in R.items():
        if k not in res: continue
        out[k] = relerr(tonum(res[k]), np.asarray(val), 1e-5 * ref)
        out['raw_' + k] = relerr(tonum(res[k]), np.asarray(val))
    return out, {k: np.asarray(val).ravel().tolist() for k, val in R.items()}

if __name__ == '__main__':
    recs = json.load(open(sys.argv[1]))
    filt = sys.argv[2] if len(sys.argv) > 2 else None
    results = {}; jaxvals = {}
    for rec in recs:
        if filt and filt not in rec['name']: continue
        try:
            r = run(rec)
            if isinstance(r, dict): results[rec['name']] = r; print('MISSING', rec['name']); continue
            results[rec['name']], jaxvals[rec['name']] = r
            if list(rec['outShape']) != r[0]['_shape']: print('SHAPE MISMATCH', rec['name'], rec['outShape'], r[0]['_shape'])
        except Exception as e:
            print('PYERR', rec['name'], type(e).__name__, str(e)[:300]); continue
        for k, e in results[rec['name']].items():
            if k == '_shape' or k.startswith('raw_'): continue
            if not isinstance(e, float) or e > 1e-10:
                print(f'FLAG {rec["name"]:40s} {k:16s} {e}')
        for k, e in rec['err'].items(): print('TSERR', rec['name'], k, e)
    
    # summary of worst errors
    worst = []
    for nm, r in results.items():
        for k, e in r.items():
            if isinstance(e, float) and not k.startswith('raw_'): worst.append((e, nm, k))
    worst.sort(reverse=True)
    print('--- top 60 (finite) relerr ---')
    for e, nm, k in worst[:60]: print(f'{e:.3e} {nm} {k}')
