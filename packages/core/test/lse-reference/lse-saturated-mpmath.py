# Reference values for test/log-sum-exp-saturated.test.ts: losses through logSumExp and logSoftmax
# whose adjoint into a saturated line (one element dominating, softmax 1 there to the last bit) is
# large and moving, with their value, gradient, H·v and the third-order ∇(wᵀ·H(x)·v), from mpmath's
# numerical derivatives (mp.diff) at 60 digits, at the float64 inputs themselves, rounded once to
# float64. (The composite rule log(sum(exp(x − m))) summed two terms of size |ȳ·ẋ| into R{x̄} there,
# off by a few ulps of them: 1.4e-13 of H·e₂ at the reproducer.)
# Run with /work/main/.venv/bin/python (mpmath) from this directory:
#   python lse-saturated-mpmath.py > lse-saturated-mpmath.json
import json
from mpmath import mp, mpf, exp, log, fsum, diff

mp.dps = 60


def softplus(z):
    return log(1 + exp(z))


def lse(xs):
    return log(fsum(exp(v) for v in xs))


def reproducer(x):
    # p = pow(softplus(2x) + 0.5, dot(2x, 2x)), f = logSumExp(p)·p₁.
    d = fsum((2 * v) ** 2 for v in x)
    p = [(softplus(2 * v) + mpf('0.5')) ** d for v in x]
    return lse(p) * p[1]


def rows_of(x, shape):
    r, c = shape
    return [[x[i * c + j] for j in range(c)] for i in range(r)]


def lse_rows_squared(x):
    # Σ_r c_r·logSumExp(X, 1)_r², X of shape [3, 3].
    c = [mpf(1.37), mpf(-0.53), mpf(2.11)]
    return fsum(c[r] * lse(row) ** 2 for r, row in enumerate(rows_of(x, (3, 3))))


def lse_columns_keepdims(x):
    # Σ_c w_c·logSumExp(X, 0, keepDims)_c·X[0, c], X of shape [2, 3].
    X = rows_of(x, (2, 3))
    w = [mpf(1.37), mpf(3.19), mpf(-2.03)]
    return fsum(w[c] * lse([X[0][c], X[1][c]]) * X[0][c] for c in range(3))


def log_softmax_rows(x):
    # Σ_r,k a_k·logSoftmax(X, 1)_rk·X_rk, X of shape [2, 3].
    a = [mpf(1.37), mpf(0.29), mpf(-0.53)]
    total = []
    for row in rows_of(x, (2, 3)):
        l = lse(row)
        total += [a[k] * (row[k] - l) * row[k] for k in range(3)]
    return fsum(total)


def softmax_rows(x):
    # Σ_r,k a_k·softmax(X, 1)_rk·X_rk², X of shape [2, 3].
    a = [mpf(1.37), mpf(0.29), mpf(-0.53)]
    total = []
    for row in rows_of(x, (2, 3)):
        l = lse(row)
        total += [a[k] * exp(row[k] - l) * row[k] ** 2 for k in range(3)]
    return fsum(total)


LOSSES = {
    'reproducer': reproducer,
    'logSumExp rows squared': lse_rows_squared,
    'logSumExp columns keepDims': lse_columns_keepdims,
    'logSoftmax rows': log_softmax_rows,
    'softmax rows': softmax_rows,
}

CASES = [
    # The defect's point (x₁, x₂ give p ≈ (30916, 37396)), along e₂ (the differential test's H·e₂) and along another v.
    ('reproducer', [1.103216752, 1.133091762], [0.0, 1.0], [1.0, 0.0]),
    ('reproducer', [1.103216752, 1.133091762], [0.7, -1.3], [-0.4, 0.9]),
    ('reproducer', [0.4, 0.45], [0.7, -1.3], [-0.4, 0.9]),  # unsaturated: p ≈ (1.55, 1.69)
    # Rows: saturated (softmax one-hot to the last bit), saturated with a weight of 1e-17 left, unsaturated.
    ('logSumExp rows squared', [30916.123456789, 2.3, -3.7, 40.1, 1.3, -2.9, 0.51, -0.27, 1.13],
     [1.17, -0.53, 0.29, 2.03, 0.51, -1.07, 0.31, 0.73, -0.23], [0.57, 1.13, -1.51, -0.27, 2.09, 1.03, 1.01, -1.07, 0.53]),
    ('logSumExp columns keepDims', [30916.123456789, -4.3, 0.51, 2.3, 37396.987654321, -0.27],
     [1.17, -0.53, 0.29, 2.03, 0.51, -1.07], [0.57, 1.13, -1.51, -0.27, 2.09, 1.03]),
    ('logSoftmax rows', [30916.123456789, 2.3, -3.7, 0.51, -0.27, 1.13],
     [1.17, -0.53, 0.29, 2.03, 0.51, -1.07], [0.57, 1.13, -1.51, -0.27, 2.09, 1.03]),
    ('softmax rows', [-3.7, 2.3, 6000.123456789, 0.51, -0.27, 1.13],
     [1.17, -0.53, 0.29, 2.03, 0.51, -1.07], [0.57, 1.13, -1.51, -0.27, 2.09, 1.03]),
]


def at(x, d, s):
    return [mpf(a) + s * mpf(b) for a, b in zip(x, d)]


def unit(n, i):
    return [1.0 if k == i else 0.0 for k in range(n)]


def case(name, x, v, w):
    f = LOSSES[name]
    n = len(x)
    X = [mpf(a) for a in x]
    # Derivatives along lines through x: ∂ᵢf, (Hv)ᵢ = ∂ₜ∂ᵤ f(x + t·v + u·eᵢ), ∇(wᵀHv)ᵢ with s·w as well.
    grad = [diff(lambda u: f(at(X, unit(n, i), u)), 0) for i in range(n)]
    hvp = [diff(lambda t, u: f([a + t * mpf(b) + u * mpf(c) for a, b, c in zip(X, v, unit(n, i))]), (0, 0), (1, 1)) for i in range(n)]
    third = [diff(lambda s, t, u: f([a + s * mpf(c) + t * mpf(b) + u * mpf(e) for a, b, c, e in zip(X, v, w, unit(n, i))]),
                  (0, 0, 0), (1, 1, 1)) for i in range(n)]
    return {
        'loss': name, 'x': x, 'v': v, 'w': w,
        'value': float(f(X)), 'grad': [float(g) for g in grad], 'hvp': [float(h) for h in hvp],
        'third': [float(h) for h in third],
    }


print(json.dumps({'cases': [case(*c) for c in CASES]}, indent=1))
