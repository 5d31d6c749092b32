# Reference values for test/avg-pool-count-padding.test.ts: average pooling of NHWC data with padded
# positions counted in the divisor (PyTorch's avg_pool2d and Flax's avg_pool with
# count_include_pad=True) and left out (TensorFlow/Keras, dualtape's default), over several shapes,
# windows, strides, 'valid', 'same' and explicit (asymmetric) padding.
#
# The values come from plain numpy loops over the definition and are checked here against a second,
# independent computation with jax.lax.reduce_window (add over the zero-padded input, divided by the
# window size — Flax's avg_pool with count_include_pad=True — or by the same sum over ones, its
# count_include_pad=False). PyTorch's documented formula for count_include_pad=True is
#   out(N, C, h, w) = 1/(kH·kW) · Σ_{m<kH} Σ_{n<kW} input_padded(N, C, sH·h + m, sW·w + n),
# which the numpy loop writes out (in NHWC, with the padding of each side given separately).
#
# Each case also carries, from JAX (float64), the value, gradient, H·v and third derivative
# ∇(uᵀ·H(x)·v) of the loss L(x) = Σₖ aₖ·tanh(yₖ) with y the pooled output.
# Run with /work/main/.venv/bin/python (numpy, JAX 0.10 with jax_enable_x64) from this directory:
#   python avg-pool-count-padding.py > avg-pool-count-padding.json
import json
import math

import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp
import numpy as np

rng = np.random.default_rng(20260517)


def pads_of(padding, h, w, fh, fw, sh, sw):
    """[top, bottom, left, right] as TensorFlow resolves them (docs/conventions.md)."""
    if padding == "valid":
        return [0, 0, 0, 0]
    if padding == "same":
        pads = []
        for size, f, s in ((h, fh, sh), (w, fw, sw)):
            out = math.ceil(size / s)
            total = max((out - 1) * s + f - size, 0)
            pads += [total // 2, total - total // 2]
        return pads
    p = [padding] if isinstance(padding, int) else list(padding)
    if len(p) == 1:
        return [p[0]] * 4
    if len(p) == 2:
        return [p[0], p[0], p[1], p[1]]
    return p


def pool_loops(x, fh, fw, sh, sw, pads, count_padding):
    """The definition, one window at a time."""
    n, h, w, c = x.shape
    top, bottom, left, right = pads
    oh = (h + top + bottom - fh) // sh + 1
    ow = (w + left + right - fw) // sw + 1
    y = np.zeros((n, oh, ow, c))
    for b in range(n):
        for oy in range(oh):
            for ox in range(ow):
                for ch in range(c):
                    total, covered = 0.0, 0
                    for i in range(fh):
                        for j in range(fw):
                            r, s = oy * sh - top + i, ox * sw - left + j
                            if 0 <= r < h and 0 <= s < w:
                                total += x[b, r, s, ch]
                                covered += 1
                    y[b, oy, ox, ch] = total / (fh * fw if count_padding else covered)
    return y


def pool_jax(x, fh, fw, sh, sw, pads, count_padding):
    """Flax's avg_pool: reduce_window(add) over the zero-padded input, over the window size or the count."""
    top, bottom, left, right = pads
    padding = ((0, 0), (top, bottom), (left, right), (0, 0))
    window, strides = (1, fh, fw, 1), (1, sh, sw, 1)
    sums = jax.lax.reduce_window(x, 0.0, jax.lax.add, window, strides, padding)
    if count_padding:
        return sums / (fh * fw)
    return sums / jax.lax.reduce_window(jnp.ones(x.shape), 0.0, jax.lax.add, window, strides, padding)


CASES = [
    # (name, shape, size, options): options as dualtape takes them (stride defaults to the window).
    ("torch AvgPool2d(3, stride=2, padding=1)", [1, 5, 5, 1], 3, {"stride": 2, "padding": 1}),
    ("'same', window [2, 3], stride [1, 2], batch 2, 3 channels", [2, 4, 6, 3], [2, 3], {"stride": [1, 2], "padding": "same"}),
    ("'same' on [H, W, C], window 2, stride 1 (padded after only)", [3, 5, 2], 2, {"stride": 1, "padding": "same"}),
    ("'same', window 3, stride [3, 2]", [1, 7, 5, 1], [3, 3], {"stride": [3, 2], "padding": "same"}),
    ("'same', window 2, default stride (odd sizes pad the end)", [2, 5, 3, 2], 2, {"padding": "same"}),
    ("explicit asymmetric [2, 0, 1, 1], window [3, 2], stride [2, 3]", [1, 6, 7, 2], [3, 2], {"stride": [2, 3], "padding": [2, 0, 1, 1]}),
    ("explicit [vertical 1, horizontal 0], window 2, stride 1", [2, 5, 4, 1], [2, 2], {"stride": 1, "padding": [1, 0]}),
    ("explicit [3, 0, 0, 3] on [H, W, C], window 4, stride 1 (corner windows mostly padding)", [4, 4, 1], 4, {"stride": 1, "padding": [3, 0, 0, 3]}),
    ("'valid' (no padding: both divisors agree)", [1, 4, 6, 2], 2, {"padding": "valid"}),
    ("explicit [1, 2, 0, 1], window 3, stride [1, 2]", [1, 4, 5, 1], 3, {"stride": [1, 2], "padding": [1, 2, 0, 1]}),
]


def as_pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


out = []
for name, shape, size, options in CASES:
    fh, fw = as_pair(size)
    sh, sw = as_pair(options.get("stride", [fh, fw]))
    x3 = rng.normal(size=shape)
    x4 = x3 if len(shape) == 4 else x3[None]
    n, h, w, c = x4.shape
    pads = pads_of(options.get("padding", "valid"), h, w, fh, fw, sh, sw)
    if options.get("padding") == "same":
        # JAX resolves 'SAME' itself: the same pads as TensorFlow's rule above.
        assert [p for pair in jax.lax.padtype_to_pads((h, w), (fh, fw), (sh, sw), "SAME") for p in pair] == pads
    for count_padding in (True, False):
        y4 = pool_loops(x4, fh, fw, sh, sw, pads, count_padding)
        y4_jax = np.asarray(pool_jax(jnp.asarray(x4), fh, fw, sh, sw, pads, count_padding))
        assert y4.shape == y4_jax.shape and np.max(np.abs(y4 - y4_jax)) <= 1e-15 * max(1.0, np.max(np.abs(y4))), name
        out_shape = list(y4.shape if len(shape) == 4 else y4.shape[1:])
        a = rng.normal(size=out_shape)
        u, v = rng.normal(size=shape), rng.normal(size=shape)

        def loss(x, a=jnp.asarray(a), cp=count_padding):
            x4j = x if len(shape) == 4 else x[None]
            y = pool_jax(x4j, fh, fw, sh, sw, pads, cp)
            y = y if len(shape) == 4 else y[0]
            return jnp.sum(a * jnp.tanh(y))

        xj, uj, vj = jnp.asarray(x3), jnp.asarray(u), jnp.asarray(v)
        hvp = lambda x: jax.jvp(jax.grad(loss), (x,), (vj,))[1]
        third = jax.grad(lambda x: jnp.sum(uj * hvp(x)))(xj)
        out.append({
            "name": name, "shape": shape, "size": size, "options": options, "countPadding": count_padding,
            "pads": pads, "x": x3.ravel().tolist(), "outShape": out_shape, "y": y4.ravel().tolist(),
            "a": a.ravel().tolist(), "u": u.ravel().tolist(), "v": v.ravel().tolist(),
            "value": float(loss(xj)), "grad": np.asarray(jax.grad(loss)(xj)).ravel().tolist(),
            "hvp": np.asarray(hvp(xj)).ravel().tolist(), "third": np.asarray(third).ravel().tolist(),
        })

print(json.dumps({"numpy": np.__version__, "jax": jax.__version__, "cases": out}))
