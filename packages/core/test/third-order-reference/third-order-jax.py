# Reference values for test/third-order-oracle.test.ts from JAX (float64): for each op, a scalar loss
# f(x) = Σ w ⊙ op(x) ("plain") or Σ w ⊙ sin(op(x)) ("sin"), with fixed random w, and at a fixed x in the
# op's domain (away from kinks and ties) its gradient, H·v (jvp of grad) and the third-order contraction
# T[u, v] = ∇(uᵀ·H(x)·v) (grad of u·(jvp of grad)). Multi-output ops enter through sign-free outputs
# (eigh: values and vectors²; qr: q², r²; svd: u², s, vt²). sqrtm and logm have no JAX derivative
# rule: their references are Denman–Beavers iterations and inverse scaling and squaring in jnp,
# differentiated through (checked against 90-digit mpmath differences of the same functions for the
# cases where JAX's numbers were least accurate, see the test's header). Run with
# /work/main/.venv/bin/python (JAX 0.10, x64) from this directory:
#   python third-order-jax.py > third-order-jax.json
import json
import sys
import numpy as np
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import jax.scipy.special as sp
import jax.scipy.linalg as sl
from jax import lax

rng = np.random.default_rng(20261205)
U = lambda lo, hi, *s: rng.uniform(lo, hi, s)
away = lambda lo, hi, *s: rng.choice([-1.0, 1.0], s) * rng.uniform(lo, hi, s)
A = lambda x: np.asarray(x, dtype=np.float64)
sym = lambda a: (a + a.T) / 2
N = 4
CASES = []


def case(name, fn, x, variants=("plain",)):
    CASES.append((name, fn, A(x), variants))


def binary(name, fn, a, b, variants=("plain",)):
    n = len(a)
    case(name, lambda x: fn(x[:n], x[n:]), np.concatenate([A(a), A(b)]), variants)


def well_conditioned(n, shift=3.0):
    return rng.standard_normal((n, n)) + shift * np.eye(n)


def spd(n):
    m = rng.standard_normal((n, n))
    return m @ m.T + n * np.eye(n)


def db_sqrt(a, iters=40):
    y, z = a, jnp.eye(a.shape[0])
    for _ in range(iters):
        y, z = (y + jnp.linalg.inv(z)) / 2, (z + jnp.linalg.inv(y)) / 2
    return y


def iss_log(a, k=10, terms=24):
    r = a
    for _ in range(k):
        r = db_sqrt(r, 30)
    x = r - jnp.eye(a.shape[0])
    s, p = jnp.zeros_like(x), jnp.eye(a.shape[0])
    for j in range(1, terms + 1):
        p = p @ x
        s = s + ((-1) ** (j + 1) / j) * p
    return (2 ** k) * s


def eigh_out(x):
    w, v = jnp.linalg.eigh(sym(x))
    return w, v * v


def qr_out(x):
    q, r = jnp.linalg.qr(x)
    return q * q, r * r


def svd_out(x):
    u, s, vt = jnp.linalg.svd(x, full_matrices=False)
    return u * u, s, vt * vt


# Elementwise unary.
case("exp", jnp.exp, U(-2, 2, N), ("plain", "sin"))
case("log1p", jnp.log1p, U(-0.7, 3, N))
case("sqrt", jnp.sqrt, U(0.3, 3, N))
case("cbrt", jnp.cbrt, away(0.3, 2, N))
case("tan", jnp.tan, U(-1.2, 1.2, N))
case("asin", jnp.arcsin, U(-0.9, 0.9, N))
case("acosh", jnp.arccosh, U(1.2, 3, N))
case("atanh", jnp.arctanh, U(-0.9, 0.9, N))
case("tanh", jnp.tanh, U(-2, 2, N), ("plain", "sin"))
case("erfc", sp.erfc, U(-2, 2.5, N))
case("erfinv", sp.erfinv, U(-0.9, 0.9, N))
case("lgamma", sp.gammaln, U(0.3, 4, N))
case("digamma", sp.digamma, U(0.3, 4, N))
case("polygamma2", lambda x: sp.polygamma(2, x), U(0.5, 4, N))
case("logSigmoid", jax.nn.log_sigmoid, U(-4, 4, N))
case("softplus", jax.nn.softplus, [30.0, -30.0, 1.5, -12.0])
case("gelu", lambda x: jax.nn.gelu(x, approximate=False), U(-3, 3, N))
case("mish", jax.nn.mish, U(-3, 3, N))
case("selu", jax.nn.selu, away(0.2, 2, N))
case("logit", sp.logit, U(0.1, 0.9, N))
case("logNdtr", sp.log_ndtr, [-3.5, -1.0, 0.5, 2.0])
case("sinc", jnp.sinc, [0.0, -0.5, 1.3, 2.2], ("plain", "sin"))
case("powConst3", lambda x: x ** 3, [-2.0, -0.5, 0.0, 1.5], ("plain", "sin"))
case("powConst-1.5", lambda x: x ** -1.5, U(0.4, 2.5, N))
# Elementwise binary: x = [a, b].
binary("div", jnp.divide, U(-2, 2, N), away(0.5, 2, N), ("plain", "sin"))
binary("pow", jnp.power, U(0.4, 2.5, N), U(-2, 2, N), ("plain", "sin"))
binary("atan2", jnp.arctan2, [0.0, 1.0, -0.7, -1.0], [1.0, 0.0, 1.3, -0.4])
binary("hypot", jnp.hypot, [0.0, 1.0, 0.3, 3.0], [1.0, 0.0, -1.2, 4.0])
binary("logAddExp", jnp.logaddexp, [0.5, -3.0, 2.0, -1.0], [0.5, -1.0, -2.0, 1.5])
binary("xlogy", sp.xlogy, [0.0, 1.0, -2.0, 0.5], [0.5, 1e-3, 4.0, 2.0])
binary("xlog1py", sp.xlog1py, [0.0, 1.0, -2.0, 0.5], [0.5, -0.9, 4.0, 2.0])
binary("maximum", jnp.maximum, [0.3, -1.0, 2.0, 0.0], [0.9, -1.5, 1.0, 0.4], ("sin",))
# Reductions.
case("prod", jnp.prod, [0.7, 0.0, -1.3, 0.0, 1.1], ("plain", "sin"))
case("cumprod", jnp.cumprod, [0.7, 0.0, -1.3, 0.9, 1.1], ("plain", "sin"))
case("logSumExp", lambda x: jax.nn.logsumexp(x, axis=1), U(-2, 2, 2, 3), ("plain", "sin"))
case("softmax", lambda x: jax.nn.softmax(x, axis=-1), U(-2, 2, 2, 3), ("plain", "sin"))
case("logSoftmax", lambda x: jax.nn.log_softmax(x, axis=0), U(-2, 2, 2, 3))
case("norm3", lambda x: jnp.linalg.vector_norm(x, ord=3), away(0.2, 2, 5))
case("normAxis", lambda x: jnp.linalg.vector_norm(x, axis=1), U(-2, 2, 2, 3), ("sin",))
case("stdDdof1", lambda x: jnp.std(x, axis=1, ddof=1), U(-2, 2, 2, 3), ("plain", "sin"))
case("sort", jnp.sort, [0.3, 1.5, -0.2, -1.0, 0.8], ("sin",))
case("quantile", lambda x: jnp.quantile(x, 0.3), [0.3, 1.5, -0.2, -1.0, 0.8, 2.0], ("sin",))
# Products.
case("einsum", lambda x: jnp.einsum('ij,jk,ki->i', x[:6].reshape(2, 3), x[6:12].reshape(3, 2), x[12:].reshape(2, 2)), U(-1, 1, 16), ("plain", "sin"))
case("matrixPower3", lambda x: jnp.linalg.matrix_power(x, 3), U(-1, 1, 3, 3))
case("kron", lambda x: jnp.kron(x[:4].reshape(2, 2), x[4:].reshape(2, 2)), U(-2, 2, 8), ("sin",))
# Linear algebra.
case("inv", jnp.linalg.inv, well_conditioned(3), ("plain", "sin"))
case("det3", jnp.linalg.det, rng.standard_normal((3, 3)))
case("det4", jnp.linalg.det, well_conditioned(4, 1.5))
case("logDet", lambda x: jnp.linalg.slogdet(x)[1], spd(3) + 0.3 * rng.standard_normal((3, 3)), ("plain", "sin"))
case("solve", lambda x: jnp.linalg.solve(x[:9].reshape(3, 3), x[9:]), np.concatenate([well_conditioned(3).ravel(), U(-2, 2, 3)]))
case("triangularSolve", lambda x: sl.solve_triangular(jnp.tril(x[:9].reshape(3, 3)), x[9:], lower=True),
     np.concatenate([well_conditioned(3).ravel(), U(-2, 2, 3)]))
case("cholesky", lambda x: jnp.linalg.cholesky(sym(x)), spd(3), ("plain", "sin"))
case("eigh", eigh_out, A([[2.0, 0.01, 0.3], [0.01, 2.5, 0.2], [0.3, 0.2, 5.0]]))
case("qr", qr_out, rng.standard_normal((4, 3)))
case("svd", svd_out, rng.standard_normal((4, 3)))
case("pinv", jnp.linalg.pinv, rng.standard_normal((2, 3)))
case("lstsq", lambda x: jnp.linalg.lstsq(x[:12].reshape(4, 3), x[12:])[0], rng.standard_normal(16))
case("expm", sl.expm, 0.6 * rng.standard_normal((3, 3)), ("plain", "sin"))
case("sqrtm", db_sqrt, 2 * np.eye(3) + 0.4 * rng.standard_normal((3, 3)))
case("logm", iss_log, 2 * np.eye(3) + 0.4 * rng.standard_normal((3, 3)))
case("matrixNormNuc", lambda x: jnp.linalg.norm(x, 'nuc'), rng.standard_normal((3, 3)))


def conv2d(x):
    inp, f = x[:32].reshape(1, 4, 4, 2), x[32:].reshape(2, 2, 2, 3)
    return lax.conv_general_dilated(inp, f, (1, 1), 'VALID', dimension_numbers=('NHWC', 'HWIO', 'NHWC'))


case("conv2d", conv2d, U(-1, 1, 56), ("plain", "sin"))
case("avgPool2d", lambda x: lax.reduce_window(x, 0.0, lax.add, (1, 2, 2, 1), (1, 2, 2, 1), 'VALID') / 4, U(-1, 1, 1, 4, 4, 1), ("sin",))


def run():
    out = {}
    for name, fn, x, variants in CASES:
        for variant in variants:
            def outputs(z):
                r = fn(z)
                return r if isinstance(r, tuple) else (r,)
            ws = [rng.standard_normal(np.shape(o)) for o in outputs(x)]
            post = (lambda y: y) if variant == "plain" else jnp.sin

            def f(z, ws=ws, post=post, outputs=outputs):
                return sum(jnp.sum(w * post(o)) for w, o in zip(ws, outputs(z)))
            u, v = rng.standard_normal(x.shape), rng.standard_normal(x.shape)
            g = jax.grad(f)
            hv = lambda z: jax.jvp(g, (z,), (v,))[1]
            third = jax.grad(lambda z: jnp.vdot(u, hv(z)))(x)
            out[f"{name}/{variant}"] = dict(
                shape=list(x.shape), x=x.ravel().tolist(), w=[np.ravel(w).tolist() for w in ws], u=u.ravel().tolist(),
                v=v.ravel().tolist(), value=float(f(x)), grad=np.ravel(g(x)).tolist(), hv=np.ravel(hv(x)).tolist(),
                third=np.ravel(third).tolist())
    return out


json.dump(dict(jax=jax.__version__, cases=run()), sys.stdout, separators=(",", ":"))
