# Reference values for test/interp-searchsorted.test.ts: NumPy's searchsorted and interp, and JAX's
# gradients of interp with respect to x, xp and fp (float64), at fixed inputs. Run with
# /work/main/.venv/bin/python (NumPy, JAX 0.10 with jax_enable_x64) from this directory:
#   python interp-numpy.py > interp-numpy.json
# Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity".
import json
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np

rng = np.random.default_rng(20261205)
nan, inf = np.nan, np.inf


def enc(a):
    return [v if np.isfinite(v) else ("NaN" if np.isnan(v) else ("Infinity" if v > 0 else "-Infinity")) for v in np.ravel(np.asarray(a, dtype=float))]


search = []
for sorted_, values in [
    ([1.0, 2, 2, 3, 5], [0, 1, 2, 2.5, 3, 5, 6, -inf, inf, nan, -0.0]),
    ([-1.0, 0, 0, 0, nan, nan], [0, -0.0, nan, inf, -2, 1]),
    ([0.5], [0.5, 0, 1, nan]),
    ([], [1.0, nan]),
    (np.sort(rng.normal(size=9)).tolist(), rng.normal(size=(3, 4)).round(1).tolist()),
]:
    entry = {"sorted": enc(sorted_), "values": enc(values), "shape": list(np.shape(values))}
    for side in ("left", "right"):
        entry[side] = np.searchsorted(np.asarray(sorted_, dtype=float), np.asarray(values, dtype=float), side=side).ravel().tolist()
    search.append(entry)

interp = []
xp1 = np.array([-1.0, 0.0, 0.5, 2.0, 3.5])
fp1 = np.array([2.0, -1.0, 0.25, 3.0, 1.0])
x1 = np.concatenate([rng.uniform(-2, 4.5, size=12), xp1, [nan, -inf, inf]])
xp2 = np.sort(rng.uniform(-3, 3, size=7))
fp2 = rng.normal(size=7)
x2 = rng.uniform(-3.5, 3.5, size=(3, 4))
for xp, fp, x, opts in [
    (xp1, fp1, x1, {}),
    (xp1, fp1, x1, {"left": -5.0, "right": 7.5}),
    (xp2, fp2, x2, {}),
    (np.array([1.0]), np.array([5.0]), np.array([0.5, 1.0, 3.0, nan]), {}),
    (np.array([1.0]), np.array([5.0]), np.array([0.5, 1.0, 3.0, nan]), {"left": 0.0, "right": -1.0}),
    # −0 at a knot stays −0 (fp exactly), whatever the sign of the slope beside it.
    (np.array([0.0, 1.0, 2.0, 3.0]), np.array([5.0, -0.0, 3.0, -0.0]), np.array([1.0, 3.0, 0.5, 2.0, 0.0]), {}),
    # Periodic: xp unsorted, x at knots (170 is −190), across the wrap (355, 5, 20), far outside [0, 360).
    (np.array([190.0, -190.0, 350.0, -340.0, 25.0]), np.array([5.0, 10.0, 3.0, 4.0, -2.0]),
     np.array([-180.0, -170.0, -185.0, 185.0, -10.0, -5.0, 0.0, 365.0, 170.0, 190.0, 350.0, 20.0, 25.0, 355.0, 5.0,
               -3590.0, 7210.5, nan, inf, -inf]), {"period": 360.0}),
    (np.array([0.1, 0.5, 0.9]), np.array([1.0, -2.0, 0.5]), np.array([[-0.3, 0.2], [1.05, 2.95]]), {"period": -1.0}),
]:
    with np.errstate(invalid="ignore"):  # an infinite x mod a period is NaN, as meant
        y = np.interp(x, xp, fp, **opts)
    entry = {"xp": enc(xp), "fp": enc(fp), "x": enc(x), "shape": list(x.shape), "options": opts, "y": enc(y)}
    # JAX's gradients of Σ w·interp(x, xp, fp) (w fixed weights), at the finite x inside no knot.
    w = np.linspace(0.5, 1.5, x.size).reshape(x.shape)
    finite = np.isfinite(x)
    xs = np.where(finite, x, 0.0)
    loss = lambda x, xp, fp: jnp.sum(w * jnp.interp(x, xp, fp, **opts))
    gx, gxp, gfp = jax.grad(loss, argnums=(0, 1, 2))(xs, xp, fp)
    entry["w"] = enc(w)
    entry["jax"] = {"x": enc(xs), "gx": enc(gx), "gxp": enc(gxp), "gfp": enc(gfp)}
    interp.append(entry)

print(json.dumps({"numpy": np.__version__, "jax": jax.__version__, "searchsorted": search, "interp": interp}, indent=1))
