"""Reference values for test/elementwise-references.test.ts, computed with mpmath at 50 digits.

Run from packages/core with any Python that has mpmath (1.4.1 was used; the output is deterministic):
    python test/high-precision/reference-values.py > test/high-precision/reference-values.json

Each op maps to a list of rows [x, (b,) y_hi, y_lo, d1_hi, d1_lo, d2_hi, d2_lo]: every reference r is
stored as the double nearest it (hi) and the double nearest r - hi (lo), so a test can measure an
error in ulps well below one. d1/d2 are the first and second derivatives in x, except for xlogy and
xlog1py, whose rows hold the two partials, in x and in b (celu's b is its alpha). The points are drawn here with a fixed seed; they include the tails and the
special points of each op, chosen by hand below. The formulas are the mathematical definitions, not
the float64 forms the engine uses (mpmath's own erfinv, ncdf, npdf, sincpi, log1p; sinc's derivatives
by mpmath's numerical differentiation, with the working precision raised near 0; mish's from a form
rational in e^x, checked here against numerical differentiation of the definition).
"""
import json
import random
import sys

import mpmath as mp

mp.mp.dps = 50
rng = random.Random(20260401)


def split(v):
    v = mp.mpf(v)
    if mp.isinf(v) or mp.isnan(v):
        raise ValueError(v)
    hi = float(v)
    if hi in (float('inf'), float('-inf')):
        raise OverflowError(v)
    lo = float(v - mp.mpf(hi))
    return [hi, lo]


def uniform(n, lo, hi):
    return [lo + (hi - lo) * rng.random() for _ in range(n)]


def row(xs, *values):
    out = list(xs)
    for v in values:
        out += split(v)
    return out


def rows(points, fn):
    """Rows for the points whose references are all finite doubles (the others overflow float64)."""
    out = []
    for p in points:
        try:
            out.append(row(p if isinstance(p, tuple) else [p], *fn(*(p if isinstance(p, tuple) else [p]))))
        except OverflowError:
            pass
    return out


def sig(x):
    return 1 / (1 + mp.exp(-x))


data = {}

# logSigmoid(x) = -log(1 + e^-x); d1 = sigma(-x); d2 = -sigma(x) sigma(-x)
xs = uniform(200, -40, 40) + uniform(40, -700, 700) + [
    -745, -700, -100, -37, -20, -1, -0.5, -1e-10, -1e-300, 1e-300, 1e-10, 0.5, 1, 20, 36, 37, 40, 100, 700, 740]
# The worst of 24,000 points (a later probe): f'' 3.3 ulps.
xs += [15.400394898917611]
data['logSigmoid'] = rows(xs, lambda x: [-mp.log1p(mp.exp(-mp.mpf(x))), sig(-mp.mpf(x)), -sig(mp.mpf(x)) * sig(-mp.mpf(x))])

# xlogy(x, y) = x log y; partials log y and x / y
pairs = [(a, 10 ** b) for a, b in zip(uniform(150, -5, 5), uniform(150, -300, 300))]
pairs += [(a, b) for a, b in zip(uniform(60, -5, 5), uniform(60, 0.01, 10))]
pairs += [(a, 1 + d) for a, d in zip(uniform(20, -3, 3), [s * 10 ** -k for k in range(1, 11) for s in (1, -1)])]
pairs += [(1e-300, 3.0), (-2.5, 1e-300), (7.0, 5e-324), (1e300, 2.0), (3.0, 1e308)]
data['xlogy'] = rows(pairs, lambda a, b: [mp.mpf(a) * mp.log(b), mp.log(b), mp.mpf(a) / b])

# xlog1py(x, y) = x log(1 + y); partials log(1 + y) and x / (1 + y)
pairs = [(a, b) for a, b in zip(uniform(150, -5, 5), uniform(150, -0.999, 5))]
pairs += [(a, s * 10 ** -k) for a, k, s in zip(uniform(40, -3, 3), list(range(1, 21)) * 2, [1] * 20 + [-1] * 20)]
pairs += [(a, -1 + 10 ** -k) for a, k in zip(uniform(15, -3, 3), range(1, 16))]
pairs += [(a, 10 ** k) for a, k in zip(uniform(10, -3, 3), range(1, 300, 30))]
pairs += [(2.0, 1e-300), (-0.5, 5e-324), (3.0, -1e-20)]
data['xlog1py'] = rows(pairs, lambda a, b: [mp.mpf(a) * mp.log1p(b), mp.log1p(b), mp.mpf(a) / (1 + mp.mpf(b))])

# sinc(x) = sin(pi x)/(pi x); derivatives by mpmath's differentiation of sincpi at 50 digits
xs = uniform(150, -10, 10) + uniform(40, -0.3, 0.3) + [s * 10 ** -k for k in (1, 2, 3, 5, 8, 12, 20, 100, 300) for s in (1, -1)]
xs += [k + s * 10 ** -e for k in (1, 2, -3, 7) for e in (3, 8, 12) for s in (1, -1)]
xs += [0.25, 0.5, 0.75, 1.5, 2.5, 100.3, 1e5 + 0.3, 12345.678, -1e10 + 0.25, 1e15 + 0.5]
# The worst value of 21,000 points (a later probe): 2.5 ulps.
xs += [2.8278523898883847]
def sinc(x):
    # mp.diff's error is absolute, ~10^-dps: near 0, where the derivatives are O(x), it needs
    # 2|log10 x| digits more.
    extra = int(-2 * mp.log10(abs(x))) if 0 < abs(x) < 1 else 0
    with mp.workdps(60 + extra):
        x = mp.mpf(x)
        return [mp.sincpi(x), mp.diff(mp.sincpi, x, 1), mp.diff(mp.sincpi, x, 2)]


data['sinc'] = rows(xs, sinc)

# erfinv; d1 = sqrt(pi)/2 exp(y^2); d2 = 2 y d1^2
xs = uniform(200, -1, 1) + uniform(40, 0.99, 1) + uniform(20, -0.01, 0.01)
xs += [1 - 2.0 ** -k for k in range(1, 54)] + [-(1 - 2.0 ** -k) for k in (3, 10, 20, 30, 40, 50, 53)]
xs += [1e-300, -1e-300, 5e-324, 1e-10, 1e-5, 0.5, 0.5 + 2 ** -53, 0.5 - 2 ** -54, 0.25, 0.75, 0.9, 0.99, 0.999999]
# The worst of 15,000 points drawn log-uniformly in 1 - x (a later probe): f' 56 ulps, f'' 106.
xs += [0.9999999999998284, 0.9999999999867595]
def erfinv(x):
    y = mp.erfinv(x)
    d1 = mp.sqrt(mp.pi) / 2 * mp.exp(y * y)
    return [y, d1, 2 * y * d1 * d1]


data['erfinv'] = rows(xs, erfinv)

# ndtr(x) = Phi(x); d1 = phi(x); d2 = -x phi(x)
xs = uniform(200, -38, 10) + [-38.4, -38, -37.5, -30, -20, -10, -5, -1, -1e-10, 0, 1e-10, 1, 5, 8, 8.3, 9, 37]
# The worst of 30,000 points drawn on [-38, 8] (a later probe): the value 5.8 ulps (erfc's error), f' 3.1.
xs += [-3.529191455779042, -13.77252929697556]
data['ndtr'] = rows(xs, lambda x: [mp.ncdf(x), mp.npdf(x), -x * mp.npdf(x)])

# logNdtr(x) = log Phi(x); d1 = r = phi/Phi; d2 = -r (x + r)
xs = uniform(150, -50, 10) + uniform(40, -5, 0) + uniform(20, 5, 38) + [
    -1e8, -1e5, -1e3, -100, -40, -38.5, -20.5, -20, -19.5, -10, -3, -2, -1, -1e-10, 0, 1e-10, 1, 3, 5, 6, 8, 10, 20, 37]
# The worst of 25,000 points drawn on [-2.2, 0.2] and [-40, 8] (a later probe): the value 5.3 ulps,
# f' = phi/Phi 6.4 (Phi's error, from erfc), f'' 39.7 (that error times the cancellation in x + r).
xs += [4.765582049928007, -1.3536497910122662, -1.9776007030543663]
def log_ndtr(x):
    # For x > 0, Phi(x) = 1 - (about e^(-x^2/2)): the working precision must hold that difference.
    with mp.workdps(60 + int(x * x / 4) if x > 0 else 60):
        x = mp.mpf(x)
        p = mp.ncdf(x)
        r = mp.npdf(x) / p
        return [mp.log(p), r, -r * (x + r)]


data['logNdtr'] = rows(xs, log_ndtr)

# Activations (JAX's definitions); derivatives off the kinks
LAMBDA = mp.mpf('1.0507009873554804934193349852946')
ALPHA = mp.mpf('1.6732632423543772848170429916717')
acts = uniform(200, -10, 10) + uniform(40, -745, 40) + [s * 10 ** -k for k in (1, 5, 10, 300) for s in (1, -1)] + [-30, -20, 20, 30]
# The worst of 21,000 to 24,000 points each (a later probe): selu's value 2.6 ulps and f' 2.6,
# softsign's f' 3.4 and f'' 5.1, mish's value 3.5.
acts += [-0.00836527148413715, -5.432372176898333, 1.7789118332847073e-06, 8.328737953832623e-05, -29.79254669734157]


def selu(x):
    x = mp.mpf(x)
    if x > 0:
        return [LAMBDA * x, LAMBDA, 0]
    e = mp.exp(x)
    return [LAMBDA * ALPHA * mp.expm1(x), LAMBDA * ALPHA * e, LAMBDA * ALPHA * e]


def celu(x, a):
    x, a = mp.mpf(x), mp.mpf(a)
    if x > 0:
        return [x, 1, 0]
    e = mp.exp(x / a)
    return [a * mp.expm1(x / a), e, e / a]


def softsign(x):
    x = mp.mpf(x)
    d = 1 / (1 + abs(x))
    return [x * d, d * d, -2 * mp.sign(x) * d ** 3]


def mish_definition(x):
    return x * mp.tanh(mp.log1p(mp.exp(x)))


def mish(x):
    # tanh(log(1 + u)) = u(u + 2)/(u^2 + 2u + 2) with u = e^x, and 1 - tanh^2 = 4(u + 1)^2/(u^2 + 2u + 2)^2:
    # exact in any precision, where 1 - tanh(...)^2 would cancel beyond 50 digits (x > 58). The
    # derivatives t + x q s and q s (2 + x (1 - s) - 2 x s t) are checked against numerical
    # differentiation of the definition below, where that is accurate.
    x = mp.mpf(x)
    u = mp.exp(x)
    d = u * u + 2 * u + 2
    t = u * (u + 2) / d
    q = 4 * (u + 1) ** 2 / d ** 2
    s = sig(x)
    return [x * t, t + x * q * s, q * s * (2 + x * (1 - s) - 2 * x * s * t)]


for x in uniform(30, -20, 20):
    exact = mish(x)
    with mp.workdps(80):
        numeric = [mish_definition(mp.mpf(x)), mp.diff(mish_definition, mp.mpf(x), 1), mp.diff(mish_definition, mp.mpf(x), 2)]
    for a, b in zip(exact, numeric):
        assert abs(a - b) <= mp.mpf(10) ** -45 * (1 + abs(b)), (x, a, b)


data['selu'] = rows(acts, selu)
data['celu'] = rows(list(zip(acts, [1.0, 0.5, 2.0, 1.7] * len(acts))), celu)
data['softsign'] = rows(acts + [1e10, -1e300, 1e308], softsign)
data['mish'] = rows(acts + uniform(20, 20, 700) + [-1.1924, 100, 354.5, 709, 710], mish)

json.dump(data, sys.stdout, separators=(',', ':'))
sys.stdout.write('\n')
