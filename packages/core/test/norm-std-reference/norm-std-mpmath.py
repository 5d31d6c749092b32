# Reference values for test/norm-std-extreme-scale.test.ts: the Euclidean norm and std (over all
# elements and along axes) at x·c for c from 1e-309 to 1e307 and at points of mixed scales, with
# their gradient, H·v and the third-order contraction ∇(wᵀ·H(x)·v), in 50-digit mpmath at the float64
# inputs themselves, rounded once to float64 (±∞ past the largest double, subnormals rounded on
# their own grid). Each loss is Σ over lines of a_l·‖P x_l‖/√k (P the centering for std, k = n − ddof),
# whose derivatives are closed forms in u = Px/‖Px‖:
#   ∇ = a·u/√k,  H·v = a·(Pv − u(u·Pv))/(√k·r),  ∇(wᵀHv) = −a·[(Jw)(u·Pv) + (u·Pw)(Jv)]/(√k·r)
#   − a·(Pw·Pv − (u·Pw)(u·Pv))·u/(√k·r²),  Jw = (Pw − u(u·Pw))/r,  r = ‖Px‖;
# checked here against mpmath's numerical derivatives (mp.diff) of the plain formula at scale 1. With
# them the sizes of the terms H·v and ∇(wᵀHv) are sums of, the scale of their rounding errors (H·v of
# std over two elements is 0, a difference of terms of order |v|/std).
# Run with /work/main/.venv/bin/python (mpmath) from this directory:
#   python norm-std-mpmath.py > norm-std-mpmath.json
# Non-finite numbers are written as the strings "Infinity" and "-Infinity".
import json
from mpmath import mp, mpf, sqrt, fsum, nint, diff

mp.dps = 50
TINY = mpf(2) ** -1022


def double(v):
    """v rounded to the nearest float64 (ties to even), subnormals and overflow included."""
    if abs(v) < TINY:
        return float(nint(v * mpf(2) ** 1074)) * 2.0 ** -1074
    return float(v)


def enc(values):
    out = []
    for v in values:
        d = double(v) if not isinstance(v, float) else v
        out.append(d if abs(d) != float("inf") else ("Infinity" if d > 0 else "-Infinity"))
    return out


# A loss: the lines of its reduction (flat indices, row-major), centered or not, k per line, weights.
def rows(shape):
    r, c = shape
    return [[i * c + j for j in range(c)] for i in range(r)]


def cols(shape):
    r, c = shape
    return [[i * c + j for i in range(r)] for j in range(c)]


LOSSES = {
    # norm(x): one line of 3.
    "norm": dict(base=[1, 2, 3], shape=[3], lines=lambda s: [list(range(3))], center=False, ddof=0, a=[1]),
    "std": dict(base=[1, 2, 3], shape=[3], lines=lambda s: [list(range(3))], center=True, ddof=0, a=[1]),
    "std ddof 1": dict(base=[0.5, -1, 2, 3], shape=[4], lines=lambda s: [list(range(4))], center=True, ddof=1, a=[1]),
    # A 2×3 matrix: rows (axis 1), columns (axis 0, keepDims), all of it ('fro').
    "norm axis 1": dict(base=[1, 2, 3, -4, 0.5, 2], shape=[2, 3], lines=rows, center=False, ddof=0, a=[1, -2]),
    "norm axis 0 keepDims": dict(base=[1, 2, 3, -4, 0.5, 2], shape=[2, 3], lines=cols, center=False, ddof=0, a=[1, -2, 0.5]),
    "fro": dict(base=[1, 2, 3, -4, 0.5, 2], shape=[2, 3], lines=lambda s: [list(range(6))], center=False, ddof=0, a=[1]),
    "std axis 1 ddof 1 keepDims": dict(base=[1, 2, 3, -4, 0.5, 2], shape=[2, 3], lines=rows, center=True, ddof=1, a=[1, -2]),
    "std axis 0": dict(base=[1, 2, 3, -4, 0.5, 2], shape=[3, 2], lines=cols, center=True, ddof=0, a=[1, -2]),
}


def parts(x, loss, line):
    z = [x[i] for i in line]
    if loss["center"]:
        m = fsum(z) / len(z)
        z = [e - m for e in z]
    r = sqrt(fsum(e * e for e in z))
    return z, r, sqrt(mpf(len(line) - loss["ddof"])) if loss["center"] else mpf(1)


def project(loss, w):
    if not loss["center"]:
        return list(w)
    m = fsum(w) / len(w)
    return [e - m for e in w]


def noise(values, size):
    return [k for k, t in enumerate(values) if abs(t) <= mpf(2) ** -40 * size]


def dot(a, b):
    return fsum(p * q for p, q in zip(a, b))


def derivatives(loss, x, v, w):
    """The value, ∇, H·v and ∇(wᵀHv), and the sizes of the terms H·v and ∇(wᵀHv) are sums of."""
    n = len(x)
    value, grad, hv, third = mpf(0), [mpf(0)] * n, [mpf(0)] * n, [mpf(0)] * n
    hv_size, third_size = mpf(0), mpf(0)
    for a, line in zip(loss["a"], loss["lines"](loss["shape"])):
        z, r, sk = parts(x, loss, line)
        u = [e / r for e in z]
        pv, pw = project(loss, [v[i] for i in line]), project(loss, [w[i] for i in line])
        uv, uw = dot(u, pv), dot(u, pw)
        jv = [(p - q * uv) / r for p, q in zip(pv, u)]
        jw = [(p - q * uw) / r for p, q in zip(pw, u)]
        value += a * r / sk
        hv_size += abs(a) * sqrt(dot(pv, pv)) / (sk * r)
        third_size += abs(a) * sqrt(dot(pv, pv) * dot(pw, pw)) / (sk * r * r)
        for k, i in enumerate(line):
            grad[i] += a * u[k] / sk
            hv[i] += a * (pv[k] - u[k] * uv) / (sk * r)
            third[i] += -a * (jw[k] * uv + uw * jv[k]) / (sk * r) - a * (dot(pw, pv) - uw * uv) * u[k] / (sk * r * r)
    return value, grad, hv, third, hv_size, third_size


def plain(loss, x):
    """The loss itself, Σ a·√(Σ(Px)²/k), for the numerical check."""
    total = mpf(0)
    for a, line in zip(loss["a"], loss["lines"](loss["shape"])):
        z, r, sk = parts(x, loss, line)
        total += a * r / sk
    return total


def check(loss, x, v, w):
    """The closed forms against mp.diff's derivatives at a point of scale 1."""
    n = len(x)
    e = lambda k: [1 if j == k else 0 for j in range(n)]
    f = lambda *t: plain(loss, list(t))
    orders = lambda *ks: tuple(sum(1 for k in ks if k == j) for j in range(n))
    _, grad, hv, third, _, _ = derivatives(loss, [mpf(t) for t in x], v, w)
    for i in range(n):
        assert abs(diff(f, x, orders(i)) - grad[i]) < mpf(10) ** -30
        h = fsum(diff(f, x, orders(i, j)) * v[j] for j in range(n))
        assert abs(h - hv[i]) < mpf(10) ** -25, (i, h, hv[i])
        t = fsum(diff(f, x, orders(i, j, k)) * v[j] * w[k] for j in range(n) for k in range(n) if v[j] and w[k])
        assert abs(t - third[i]) < mpf(10) ** -20, (i, t, third[i])


SCALES = [1.0, 1e-300, 1e-308, 1e-309, 1e154, 1e300, 1e307]
# Points whose elements differ in scale: subnormal beside normal, squares that would under- and
# overflow side by side, a large mean with a small spread.
MIXED = {
    "norm": [[1e-309, 3e-308, -2e-310], [1e154, 1e-154, 1.0], [1e-300, 1.0, 1e300], [3e307, -4e307, 1e-300]],
    "std": [[1e-309, 3e-308, -2e-310], [1e300, -1e300, 1.0], [1e8 + 1, 1e8, 1e8 - 3], [1e-300, 2e-300, 1e-320]],
    "fro": [[1e-309, 1e-300, 0.0, -3e-310, 2e-308, 1e-320], [1e200, -1e100, 1.0, 2e199, 0.0, 3e150]],
    "std axis 0": [[1e-309, 1e300, 2e-309, -1e300, 5e-310, 1.0], [1e8 + 1, 1e-305, 1e8, 3e-305, 1e8 - 3, -1e-305]],
}

cases = []
for name, loss in LOSSES.items():
    n = len(loss["base"])
    e1 = [1.0] + [0.0] * (n - 1)
    v0 = [0.25 * (k + 1) * (-1) ** k for k in range(n)]  # 0.25, −0.5, 0.75, …
    w0 = [1.0, 0.5] + [-1.0] * (n - 2)
    check(loss, [mpf(b) + mpf(k) / 10 for k, b in enumerate(loss["base"])], v0, w0)
    points = [("scale", c, [float(b) * c for b in loss["base"]]) for c in SCALES]
    points += [("mixed", max(abs(t) for t in p), p) for p in MIXED.get(name, [])]
    for kind, c, x in points:
        # Unit directions (e₁ and w0), and directions at x's scale, along which H·v is of order 1
        # and ∇(wᵀHv) of order 1/c.
        for label, v in (("unit", e1), ("scaled", [t * c for t in v0])):
            if kind == "mixed" and label == "scaled":
                continue
            value, grad, hv, third, hv_size, third_size = derivatives(loss, [mpf(t) for t in x], [mpf(t) for t in v], [mpf(t) for t in w0])
            cases.append({
                "loss": name, "shape": loss["shape"], "kind": kind, "c": c, "directions": label,
                "x": x, "v": v, "w": w0,
                "value": enc([value])[0], "grad": enc(grad), "hvp": enc(hv), "third": enc(third),
                # Σ over lines of |a|·‖Pv‖/(√k·r) and |a|·‖Pv‖·‖Pw‖/(√k·r²): what rounding is relative to.
                "hvpSize": enc([hv_size])[0], "thirdSize": enc([third_size])[0],
                # Components at the rounding level of those terms (0 but for the rounding of x): past
                # the largest double, their sign is the rounding's.
                "hvpNoise": noise(hv, hv_size), "thirdNoise": noise(third, third_size),
            })

print(json.dumps({"mpmath": mp.dps, "cases": cases}, indent=None))
