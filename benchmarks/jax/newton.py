"""Newton-CG on extended Rosenbrock from x₀ = (−1.2, 1, −1.2, 1, …), the problem of
benchmarks/src/suites/hessian-newton.ts, with scipy.optimize.minimize(method="trust-ncg"):
the same trust-region Steihaug-CG algorithm and defaults as @dualtape/curvature's newtonCG
(Δ₀ = 1, Δmax = 1000, η = 0.15, inner CG tolerance min(½, √‖g‖)·‖g‖), the same stopping
test ‖∇f‖ ≤ max(1e-8, 1e-12·‖∇f(x₀)‖) and the same 200-iteration cap. f and ∇f come from
jit(value_and_grad(f)), H·v from hessp = jit(jvp(grad(f))); the loop and the CG vectors are
scipy's (numpy, float64): a JAX-side loop (lax.while_loop) is not what is timed.

Before the run, the jitted hessp at x₀ is checked against the closed-form H·v along a seeded v.
Compilation is done (and timed) before the run, which is then timed alone.
"""
import time

import jax
import jax.numpy as jnp
import numpy as np

from rosenbrock import rosenbrock
from timing import max_rel_diff


def run(inputs):
    try:
        from scipy.optimize import minimize
    except ImportError as e:
        return {"rows": [{"id": "jaxcpu.trustncg.f64", "label": "JAX CPU + scipy trust-ncg", "precision": "float64",
                          "ms": None, "meanMs": None, "samples": None, "err": None,
                          "note": f"scipy is not installed ({e}): pip install scipy"}], "notes": []}
    import scipy

    x0 = np.asarray(inputs.array("x0"), dtype=np.float64)
    v = jnp.asarray(inputs.array("v"))
    max_iter = inputs.param("maxIter")

    value_and_grad = jax.jit(jax.value_and_grad(rosenbrock))
    hvp = jax.jit(lambda x, u: jax.jvp(jax.grad(rosenbrock), (x,), (u,))[1])
    start = time.perf_counter()
    jax.block_until_ready(value_and_grad(x0))
    err = max_rel_diff(jax.block_until_ready(hvp(jnp.asarray(x0), v)), inputs.array("ref_hvp"))
    compile_seconds = time.perf_counter() - start
    # newtonCG's stopping test: ‖∇f‖ ≤ max(gradTol, gradRelTol·‖∇f(x₀)‖).
    grad_tol = max(inputs.param("gradTol"), inputs.param("gradRelTol") * float(np.linalg.norm(value_and_grad(x0)[1])))

    counts = {"hvp": 0}

    def fun(x):
        value, g = value_and_grad(x)
        return float(value), np.asarray(g)

    def hessp(x, p):
        counts["hvp"] += 1
        return np.asarray(hvp(x, p))

    start = time.perf_counter()
    result = minimize(fun, x0, jac=True, hessp=hessp, method="trust-ncg",
                      options={"gtol": grad_tol, "maxiter": max_iter})
    seconds = time.perf_counter() - start
    return {
        "rows": [{
            "id": "jaxcpu.trustncg.f64", "label": "JAX CPU + scipy trust-ncg", "precision": "float64",
            "ms": seconds * 1e3, "meanMs": seconds * 1e3, "samples": 1, "err": err,
            "note": f"error column: hessp at x₀ against the closed form; compilation {compile_seconds:.2f} s, excluded; "
                    "scipy spends one more H·v per iteration on the model's predicted reduction",
            "newton": {"seconds": seconds, "iterations": int(result.nit), "hvpCount": counts["hvp"],
                       "value": float(result.fun), "converged": bool(result.success),
                       "gradNorm": float(np.linalg.norm(result.jac))},
        }],
        "notes": [f"scipy {scipy.__version__} trust-ncg: {result.message}"],
    }
