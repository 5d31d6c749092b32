"""The two-layer tanh network with sum-of-squares error, as in benchmarks/src/two-layer.ts:

    E(w) = ½ Σₙₖ (yₙₖ − tₙₖ)²,  y = tanh(X·W1ᵀ + b1)·W2ᵀ + b2.

Rows, each in float64 and float32, checked against rPropagation (@dualtape/nn) before timing:
- jit(jvp(value_and_grad(E))): f, ∇f and H·v, what dualtape's gradAndHvp returns
  (forward-over-reverse; jvp(grad(E)) plus f, which XLA gets from the same forward pass);
- jit(value_and_grad(E)): f and ∇f, against dualtape's valueAndGrad (the error column is ∇f's);
- jit(linearize(grad(E), w)[1]) applied to v: the point linearized once outside the timing,
  against dualtape's hvpOperator(f, w).apply(v).
"""
import jax
import jax.numpy as jnp
import numpy as np

from timing import max_rel_diff, timed_row

KEYS = ("w1", "b1", "w2", "b2")
LABEL = {
    "jvpgrad": "JAX CPU jit(jvp(value_and_grad(f))): f, ∇f, H·v",
    "vg": "JAX CPU jit(value_and_grad(f)): f, ∇f only",
    "linearize": "JAX CPU jit(linearize(grad(f), w)[1])(v)",
}


def loss_of(X, T):
    def loss(p):
        z = jnp.tanh(X @ p["w1"].T + p["b1"])
        r = z @ p["w2"].T + p["b2"] - T
        return 0.5 * jnp.sum(r * r)
    return loss


def flat(tree):
    return np.concatenate([np.asarray(tree[k], dtype=np.float64).ravel() for k in KEYS])


def run(inputs):
    D, H, K, N = inputs.param("size")
    ref_hvp = inputs.array("ref_hvp")
    ref_grad = inputs.array("ref_grad")
    rows = []
    for precision, dtype in (("float64", jnp.float64), ("float32", jnp.float32)):
        tag = "f64" if precision == "float64" else "f32"
        cast = lambda name: jnp.asarray(inputs.array(name), dtype=dtype)  # noqa: E731
        p = {k: cast(f"p_{k}") for k in KEYS}
        v = {k: cast(f"v_{k}") for k in KEYS}
        loss = loss_of(cast("X"), cast("T"))

        hvp_fn = jax.jit(lambda q, u: jax.jvp(jax.value_and_grad(loss), (q,), (u,)))
        rows.append(timed_row(
            f"jaxcpu.jvpgrad.{tag}", LABEL["jvpgrad"], precision, hvp_fn, (p, v),
            lambda out: max_rel_diff(flat(out[1][1]), ref_hvp), inputs.quick))

        vg_fn = jax.jit(jax.value_and_grad(loss))
        rows.append(timed_row(
            f"jaxcpu.vg.{tag}", LABEL["vg"], precision, vg_fn, (p,),
            lambda out: max_rel_diff(flat(out[1]), ref_grad), inputs.quick,
            note="error column: ∇f against rPropagation"))

        _, hvp_at_p = jax.linearize(jax.grad(loss), p)
        apply_fn = jax.jit(hvp_at_p)
        rows.append(timed_row(
            f"jaxcpu.linearize.{tag}", LABEL["linearize"], precision, apply_fn, (v,),
            lambda out: max_rel_diff(flat(out), ref_hvp), inputs.quick,
            note="linearized once, outside the timing"))
    return {"rows": rows, "notes": []}
