# Reference values for test/lu.test.ts from JAX (float64): jax.scipy.linalg.lu's factors, and the
# derivatives of its L and U (jvp, vjp, H·v as jvp-of-grad, a third-order quantity as grad of w·(H·v)),
# at fixed inputs, square and rectangular. Run with /work/main/.venv/bin/python (JAX 0.10, scipy) from this directory:
#   python lu-jax.py > lu-jax.json
# SciPy's lu is checked to give the same factors (LAPACK getrf), so the pivots are LAPACK's.
import json
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np
import scipy.linalg

rng = np.random.default_rng(20261205)


def factors(a):
    """jax.scipy.linalg.lu, mapped over a stack's leading axis (it takes one matrix)."""
    return jax.vmap(jax.scipy.linalg.lu)(a) if a.ndim == 3 else jax.scipy.linalg.lu(a)


def lu_lu(a):
    _, l, u = factors(a)
    return l, u


def loss(a):
    l, u = lu_lu(a)
    return jnp.sum(jnp.sin(l)) + 0.1 * jnp.sum(u ** 2) + jnp.sum(jnp.tanh(u)) * jnp.sum(l ** 3) / 10


def case(name, a):
    a = np.asarray(a, dtype=np.float64)
    p, l, u = factors(a)
    _, _, perm = jax.lax.linalg.lu(a)
    sp, sl, su = scipy.linalg.lu(a)
    assert np.array_equal(np.asarray(p), sp) and np.allclose(l, sl, rtol=0, atol=1e-14) and np.allclose(u, su, rtol=0, atol=1e-13)
    da = rng.standard_normal(a.shape)
    (_, _), (dl, du) = jax.jvp(lu_lu, (a,), (da,))
    lbar, ubar = rng.standard_normal(np.shape(dl)), rng.standard_normal(np.shape(du))
    _, pullback = jax.vjp(lu_lu, a)
    (abar,) = pullback((lbar, ubar))
    out = dict(a=a, p=p, l=l, u=u, permutation=perm, da=da, dl=dl, du=du, lbar=lbar, ubar=ubar, abar=abar)
    if a.ndim == 2:
        v, w = rng.standard_normal(a.shape), rng.standard_normal(a.shape)
        hv = lambda x: jax.jvp(jax.grad(loss), (x,), (v,))[1]
        out.update(grad=jax.grad(loss)(a), v=v, hv=hv(a), w=w, third=jax.grad(lambda x: jnp.vdot(w, hv(x)))(a))
    return name, {k: np.asarray(x).tolist() for k, x in out.items()}


cases = dict([
    case("random4", rng.standard_normal((4, 4))),
    case("random6", rng.standard_normal((6, 6))),
    # Ties in the pivot column: LAPACK takes the first largest |entry| (idamax).
    case("tie2", [[1.0, 2.0], [1.0, 3.0]]),
    case("tie3", [[-2.0, 1.0, 0.5], [2.0, 3.0, 1.0], [1.0, -1.0, 4.0]]),
    case("integers4", [[1.0, 2.0, 3.0, 4.0], [4.0, 3.0, 2.0, 2.0], [2.0, 4.0, 1.0, 3.0], [4.0, 1.0, 4.0, 1.0]]),
    case("stack", rng.standard_normal((2, 3, 3))),
    # Rectangular: L is m×k and U k×n, k = min(m, n).
    case("tall", rng.standard_normal((5, 3))),
    case("wide", rng.standard_normal((3, 5))),
    case("tallStack", rng.standard_normal((2, 4, 2))),
    case("wideStack", rng.standard_normal((2, 2, 4))),
])
print(json.dumps({"jax": jax.__version__, "cases": cases}, indent=None))
