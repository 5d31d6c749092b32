# Reference values for test/interp-numpy-suite.test.ts: the real-valued cases of NumPy's own tests of
# interp (numpy/lib/tests/test_function_base.py, class TestInterp) and of searchsorted
# (numpy/_core/tests/test_multiarray.py, test_searchsorted_*; test_numeric.py), and JAX's
# (tests/lax_numpy_test.py: testInterp, testInterpExtrapoate, testInterpErrors, testInterpGradNan,
# testSearchsorted, testSearchsortedNans), each evaluated here by NumPy (values) and JAX (JAX-only
# options, gradients), float64. Run with /work/main/.venv/bin/python (NumPy 2.4, JAX 0.10 with
# jax_enable_x64) from this directory:
#   python interp-numpy-suite.py > interp-numpy-suite.json
# Non-finite numbers are written as the strings "NaN", "Infinity", "-Infinity". A case NumPy accepts
# but dualtape refuses carries "refused" (the error the test expects) besides NumPy's value.
import json
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np

nan, inf = np.nan, np.inf


def enc(a):
    return [v if np.isfinite(v) else ("NaN" if np.isnan(v) else ("Infinity" if v > 0 else "-Infinity"))
            for v in np.ravel(np.asarray(a, dtype=float))]


def raised(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001 - the class name is the record
        return type(e).__name__
    return None


interp = []


def case(source, x, xp, fp, scalar=False, refused=None, **opts):
    """One np.interp call: x as given (a Python number when scalar), its shape, NumPy's result."""
    y = np.interp(x, xp, fp, **opts)
    entry = {"source": source, "x": enc(x), "shape": list(np.shape(x)), "scalar": scalar,
             "xp": enc(xp), "fp": enc(fp), "options": opts, "y": enc(y)}
    if refused:
        entry["refused"] = refused
    interp.append(entry)


# --- NumPy, TestInterp -------------------------------------------------------------------------
case("test_basic", np.linspace(0, 1, 50), np.linspace(0, 1, 5), np.linspace(0, 1, 5))
for size in range(1, 10):
    xp = np.arange(size, dtype=np.double)
    yp = np.ones(size, dtype=np.double)
    incpts = np.array([-1, 0, size - 1, size], dtype=np.double)
    for pts in (incpts, incpts[::-1]):
        for opts in ({}, {"left": 0}, {"right": 2}, {"left": 0, "right": 2}):
            case(f"test_right_left_behavior (size {size})", pts, xp, yp, **opts)
for x0 in (0, .3, float(np.float32(.3)), np.float64(.3), nan):
    case("test_scalar_interpolation_point", float(x0), np.linspace(0, 1, 5), np.linspace(0, 1, 5), scalar=True)
case("test_non_finite_behavior_exact_x", [1, 2, 2.5, 3, 4], [1, 2, 3, 4], [1, 2, inf, 4])
case("test_non_finite_behavior_exact_x", [1, 2, 2.5, 3, 4], [1, 2, 3, 4], [1, 2, nan, 4])
# The 'real' parametrization of the sc fixture; the three complex ones are out of scope.
case("test_non_finite_any_nan", 0.5, [nan, 1], [0, 10], scalar=True, refused="ArgumentError")
case("test_non_finite_any_nan", 0.5, [0, nan], [0, 10], scalar=True, refused="ArgumentError")
case("test_non_finite_any_nan", 0.5, [0, 1], [nan, 10], scalar=True)
case("test_non_finite_any_nan", 0.5, [0, 1], [0, nan], scalar=True)
for xp, fp in [([-inf, inf], [0, 10]), ([0, 1], [-inf, inf]), ([0, 1], [inf, -inf]), ([-inf, inf], [10, 10])]:
    case("test_non_finite_inf", 0.5, xp, fp, scalar=True)
for xp in ([-inf, 1], [0, inf]):
    for fp in ([-inf, 10], [inf, 10], [0, -inf], [0, inf]):
        case("test_non_finite_half_inf_xf", 0.5, xp, fp, scalar=True)
case("test_non_finite_half_inf_x", 0.5, [-inf, -inf], [0, 10], scalar=True, refused="ArgumentError")
case("test_non_finite_half_inf_x", 0.5, [-inf, 1], [0, 10], scalar=True)
case("test_non_finite_half_inf_x", 0.5, [0, inf], [0, 10], scalar=True)
case("test_non_finite_half_inf_x", 0.5, [inf, inf], [0, 10], scalar=True, refused="ArgumentError")
for fp in ([0, -inf], [0, inf], [-inf, 10], [inf, 10], [-inf, -inf], [inf, inf]):
    case("test_non_finite_half_inf_f", 0.5, [0, 1], fp, scalar=True)
case("test_zero_dimensional_interpolation_point", np.array(.3), np.linspace(0, 1, 5), np.linspace(0, 1, 5))
case("test_zero_dimensional_interpolation_point", np.array(1.0), [0, 2, 4], [1, -1, 1])
# xp = 4 is xp = 0 plus the period: the same knot twice.
case("test_zero_dimensional_interpolation_point", np.array(4.5), [0, 2, 4], [1, -1, 1], period=4, refused="ArgumentError")
period_x = [-180, -170, -185, 185, -10, -5, 0, 365]
case("test_period", period_x, [190, -190, 350, -350], [5, 10, 3, 4], period=360)
case("test_period", np.array(period_x, dtype=float).reshape(2, -1), [190, -190, 350, -350], [5, 10, 3, 4], period=360)
# A negative period is its absolute value (NumPy's abs(period)).
case("test_period (period -360)", period_x, [190, -190, 350, -350], [5, 10, 3, 4], period=-360)

# test_if_len_x_is_small: 10⁵ knots, too many to store; the test makes the same arange and sin.
long_xp = np.arange(0, 10, 0.0001)
long_case = {"source": "test_if_len_x_is_small", "n": len(long_xp), "step": 0.0001,
             "x": float(np.pi), "y": float(np.interp(np.pi, long_xp, np.sin(long_xp))),
             "arange_is_i_times_step": bool(np.all(long_xp == np.arange(len(long_xp)) * 0.0001))}

errors = [
    {"source": "test_exceptions", "args": [0, [], []], "options": {}, "numpy": raised(lambda: np.interp(0, [], []))},
    {"source": "test_exceptions", "args": [0, [0], [1, 2]], "options": {}, "numpy": raised(lambda: np.interp(0, [0], [1, 2]))},
    {"source": "test_exceptions", "args": [0, [0, 1], [1, 2]], "options": {"period": 0},
     "numpy": raised(lambda: np.interp(0, [0, 1], [1, 2], period=0))},
    {"source": "test_exceptions", "args": [0, [], []], "options": {"period": 360},
     "numpy": raised(lambda: np.interp(0, [], [], period=360))},
    {"source": "test_exceptions", "args": [0, [0], [1, 2]], "options": {"period": 360},
     "numpy": raised(lambda: np.interp(0, [0], [1, 2], period=360))},
    {"source": "testInterpErrors", "args": [0, [0, 1], [0, 1, 2]], "options": {},
     "jax": raised(lambda: jnp.interp(0.0, jnp.arange(2.0), jnp.arange(3.0)))},
    {"source": "testInterpErrors", "args": [0, [0, 1, 2], [0, 1, 2]], "options": {"left": "interpolate"},
     "jax": raised(lambda: jnp.interp(0.0, jnp.arange(3.0), jnp.arange(3.0), left="interpolate"))},
    {"source": "testInterpErrors", "args": [0, [0, 1, 2], [0, 1, 2]], "options": {"right": "interpolate"},
     "jax": raised(lambda: jnp.interp(0.0, jnp.arange(3.0), jnp.arange(3.0), right="interpolate"))},
    {"source": "testInterpErrors", "args": [0, [0, 1, 2], [0, 1, 2]], "options": {"period": [1.0]},
     "jax": raised(lambda: jnp.interp(0.0, jnp.arange(3.0), jnp.arange(3.0), period=np.array([1.0])))},
]

# --- JAX, testInterp: random x (scale 10), xp = the 20 smallest of 100 distinct, fp random, for
# every shape, float and integer data, period None or 0.59, left None or 0, right None or 1. With a
# period NumPy and JAX ignore left and right, and dualtape refuses them: those are one case each.
rng = np.random.RandomState(20261206)
shapes = ["python scalar", (), (4,), (3, 4), (3, 1), (1, 4), (2, 1, 4), (2, 3, 4)]
grads = []
for shape in shapes:
    for dtype in (np.float64, np.int64):
        dims = () if shape == "python scalar" else shape
        x = np.asarray(10 * rng.randn(*dims)).astype(dtype)
        xp = np.unique(np.asarray(10 * rng.randn(100)).astype(dtype))[:20]
        fp = 10 * rng.randn(20)
        x, xp = x.astype(float), xp.astype(float)
        for opts in ({}, {"left": 0}, {"right": 1}, {"left": 0, "right": 1}, {"period": 0.59}):
            if "period" in opts:
                assert len(np.unique(xp % 0.59)) == len(xp)
            case(f"testInterp ({shape}, {np.dtype(dtype).name}, {opts})",
                 float(x) if shape == "python scalar" else x, xp, fp, scalar=shape == "python scalar", **opts)
            if dtype is np.float64:
                # JAX's gradients of Σ w·interp(x, xp, fp) in x, xp and fp (w fixed weights).
                w = np.linspace(0.5, 1.5, x.size).reshape(x.shape)
                loss = lambda x, xp, fp: jnp.sum(w * jnp.interp(x, xp, fp, **opts))
                gx, gxp, gfp = jax.grad(loss, argnums=(0, 1, 2))(x, xp, fp)
                grads.append({"source": f"testInterp ({shape}, {opts})", "x": enc(x), "shape": list(x.shape), "xp": enc(xp),
                              "fp": enc(fp), "options": opts, "w": enc(w), "gx": enc(gx), "gxp": enc(gxp), "gfp": enc(gfp)})
refused_with_period = []
for opts in ({"left": 0}, {"right": 1}, {"left": 0, "right": 1}):
    x, xp, fp = 10 * rng.randn(4), np.unique(10 * rng.randn(100))[:20], 10 * rng.randn(20)
    # NumPy ignores the fills: the same numbers as without them.
    same = bool(np.array_equal(np.interp(x, xp, fp, period=0.59, **opts), np.interp(x, xp, fp, period=0.59)))
    refused_with_period.append({"options": {"period": 0.59, **opts}, "numpy_ignores_them": same})

# testInterpExtrapoate: JAX's left/right='extrapolate'.
extrapolate = []
for x, kw in [(0.5, {"left": "extrapolate"}), (1.5, {"left": "extrapolate"}), (3.5, {"left": "extrapolate"}),
              (3.9, {"right": "extrapolate"})]:
    extrapolate.append({"x": x, "xp": [1.0, 2.0, 3.0], "fp": [10.0, 20.0, 30.0], "options": kw,
                        "y": float(jnp.interp(x, jnp.array([1.0, 2.0, 3.0]), jnp.array([10.0, 20.0, 30.0]), **kw))})

# testInterpGradNan: x = xp = z close to 0 and close together, fp = 1; the gradient must be finite.
z = np.exp(np.linspace(-90, -20, 1000))
grad_nan = []
for opts in ({}, {"left": 0}, {"right": 1}, {"left": 0, "right": 1}, {"period": 0.59}):
    g = jax.grad(lambda z: jnp.sum(jnp.interp(z, z, jnp.ones_like(z), **opts)))(z)
    grad_nan.append({"options": opts, "finite": bool(np.all(np.isfinite(g))), "max_abs": float(np.max(np.abs(g)))})

# --- searchsorted: NumPy's real cases and JAX's --------------------------------------------------
search = []


def search_case(source, sorted_, values):
    sorted_ = np.asarray(sorted_, dtype=float)
    values = np.asarray(values, dtype=float)
    entry = {"source": source, "sorted": enc(sorted_), "values": enc(values), "shape": list(values.shape)}
    for side in ("left", "right"):
        entry[side] = np.ravel(np.searchsorted(sorted_, values, side=side)).tolist()
    search.append(entry)


search_case("test_searchsorted_floats", [0, 1, nan], [0, 1, nan])
search_case("test_searchsorted_floats (one NaN value)", [0, 1, nan], nan)
search_case("test_searchsorted_n_elements (0)", np.ones(0), [0, 1, 2])
search_case("test_searchsorted_n_elements (1)", np.ones(1), [0, 1, 2])
search_case("test_searchsorted_n_elements (all equal)", np.ones(2), [0, 1, 2])
search_case("test_searchsorted_resetting", np.arange(5), [6, 5, 4])
search_case("test_searchsorted_type_specific", np.arange(0, 5), np.arange(0, 5))
search_case("test_searchsorted_type_specific (empty sorted)", np.ones(0), np.arange(0, 5))
search_case("test_searchsorted_type_specific (empty values)", np.arange(0, 5), np.ones(0))
search_case("test_numeric test_searchsorted", [-8, -5, -1, 3, 6, 10], 0)
# testSearchsortedNans: the sign of 0 and of NaN does not matter (JS has one NaN).
search_case("testSearchsortedNans", [-inf, -1.0, 0.0, -0.0, 1.0, inf, nan, nan], [-inf, -1.0, 0.0, -0.0, 1.0, inf, nan, nan])
search_case("testSearchsortedNans (equivalent)", [0, 1, 2, 2, 3, 4, 5, 5], [0, 1, 2, 2, 3, 4, 5, 5])
for n in (15, 16, 17):
    for vshape in ((), (5,), (5, 5)):
        search_case(f"testSearchsorted ({n}, {vshape})", np.sort(3 * rng.randn(n)), 3 * rng.randn(*vshape))
        # rand_default draws floats; integer data gives ties, which the float draws never have.
        search_case(f"testSearchsorted ({n}, {vshape}, integers)", np.sort(np.round(3 * rng.randn(n))), np.round(3 * rng.randn(*vshape)))

# One line per case.
out = {"numpy": np.__version__, "jax": jax.__version__, "interp": interp, "long": long_case, "errors": errors,
       "refusedWithPeriod": refused_with_period, "grads": grads, "extrapolate": extrapolate, "gradNan": grad_nan,
       "searchsorted": search}
print("{\n" + ",\n".join(
    f" {json.dumps(k)}: " + ("[\n" + ",\n".join("  " + json.dumps(e) for e in v) + "\n ]" if isinstance(v, list) else json.dumps(v))
    for k, v in out.items()) + "\n}")
