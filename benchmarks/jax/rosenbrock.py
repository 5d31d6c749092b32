"""Extended Rosenbrock, f(x) = Σᵢ 100(x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)², on the x and v of
benchmarks/src/suites/rosenbrock.ts; H·v checked against the closed form the Node side wrote, ∇f against dualtape's valueAndGrad.

dualtape records this as ~10⁶ scalar nodes. A JAX user writes it over the whole vector (one
strided slice per coordinate), which is what is timed here in float64 and float32. The scalar
form, one pair per step of a lax.scan, is timed too: JAX's nearest thing to a scalar graph.
"""
import jax
import jax.numpy as jnp

from timing import max_rel_diff, timed_row


def rosenbrock(x):
    a = x[0::2]
    b = x[1::2]
    return jnp.sum(100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2)


def rosenbrock_scan(x):
    def step(total, pair):
        a, b = pair[0], pair[1]
        return total + 100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2, None
    total, _ = jax.lax.scan(step, jnp.zeros((), x.dtype), x.reshape(-1, 2))
    return total


def run(inputs):
    ref_hvp = inputs.array("ref_hvp")
    ref_grad = inputs.array("ref_grad")
    rows = []
    variants = (
        ("vec", "vectorised", rosenbrock, ("float64", "float32")),
        ("scan", "scalar ops in lax.scan", rosenbrock_scan, ("float64",)),
    )
    for key, how, f, precisions in variants:
        for precision in precisions:
            dtype = jnp.float64 if precision == "float64" else jnp.float32
            tag = "f64" if precision == "float64" else "f32"
            x = jnp.asarray(inputs.array("x"), dtype=dtype)
            v = jnp.asarray(inputs.array("v"), dtype=dtype)
            hvp_fn = jax.jit(lambda y, u, f=f: jax.jvp(jax.value_and_grad(f), (y,), (u,)))
            rows.append(timed_row(
                f"jaxcpu.{key}.jvpgrad.{tag}", f"JAX CPU {how}: jit(jvp(value_and_grad(f)))", precision,
                hvp_fn, (x, v), lambda out: max_rel_diff(out[1][1], ref_hvp), inputs.quick))
            vg_fn = jax.jit(jax.value_and_grad(f))
            rows.append(timed_row(
                f"jaxcpu.{key}.vg.{tag}", f"JAX CPU {how}: jit(value_and_grad(f))", precision,
                vg_fn, (x,), lambda out: max_rel_diff(out[1], ref_grad), inputs.quick,
                note="error column: ∇f against dualtape's valueAndGrad"))
    return {"rows": rows, "notes": []}
