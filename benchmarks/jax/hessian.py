"""The full Hessian of f(x) = Σ tanh((A·x)ᵢ) + ½‖x‖² (dense W×W matrix A), on the A and x of
benchmarks/src/suites/hessian-newton.ts, checked against dualtape's `hessian` on the same data.

- jit(hessian(f)): JAX's jacfwd(jacrev(f)), the W tangent sweeps batched by vmap (float64, float32);
- W × jit(hvp): W separate H·v calls with unit vectors, dispatched back to back and waited for at
  the end (the JAX way of writing a loop of calls), against dualtape's W separate hvp calls.
"""
import jax
import jax.numpy as jnp

from timing import max_rel_diff, timed_row


def run(inputs):
    W = inputs.param("W")
    ref = inputs.array("ref_hessian")
    rows = []
    for precision, dtype, tag in (("float64", jnp.float64, "f64"), ("float32", jnp.float32, "f32")):
        A = jnp.asarray(inputs.array("A"), dtype=dtype)
        x = jnp.asarray(inputs.array("x"), dtype=dtype)

        def f(y):
            return jnp.sum(jnp.tanh(A @ y)) + 0.5 * jnp.sum(y * y)

        rows.append(timed_row(
            f"jaxcpu.hessian.{tag}", "JAX CPU jit(hessian(f))", precision, jax.jit(jax.hessian(f)), (x,),
            lambda out: max_rel_diff(out, ref), inputs.quick))
        if precision == "float64":
            hvp = jax.jit(lambda y, u: jax.jvp(jax.grad(f), (y,), (u,))[1])
            units = list(jnp.eye(W, dtype=dtype))

            def columns(y):
                return [hvp(y, e) for e in units]

            rows.append(timed_row(
                f"jaxcpu.hvploop.{tag}", "JAX CPU W × jit(jvp(grad(f)))", precision, columns, (x,),
                lambda out: max_rel_diff(jnp.stack(out, axis=1), ref), inputs.quick,
                note="W calls dispatched back to back, waited for together"))
    return {"rows": rows, "notes": []}
