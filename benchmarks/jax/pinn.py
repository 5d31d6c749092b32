"""PINN anchor: JAX + scipy on a 1-D Poisson problem, the yardstick for dualtape's `pnpm example pinn`
(issue 16). Run from the repository root:

    .venv/bin/python benchmarks/jax/pinn.py            # both networks; writes benchmarks/jax/pinn-results.json
    .venv/bin/python benchmarks/jax/pinn.py --quick    # 1-16-1 only, 500 Adam steps: checks the wiring

Problem. u″(x) = −π² sin(πx) on [0, 1], u(0) = u(1) = 0; the exact solution is u(x) = sin(πx).

Network. u(x; θ) = W_L·tanh(W_{L−1}·tanh(… tanh(W_1·x + b_1) …) + b_{L−1}) + b_L, tanh hidden
layers, sizes 1-16-1 and 1-20-20-1. θ is one flat float64 vector, layer by layer: W_1 (fan_out ×
fan_in, row-major), b_1, W_2, b_2, … Initialisation: W_l = randomArray(fan_out·fan_in, seed = l,
scale = √(6 / (fan_in + fan_out))) (Glorot uniform), b_l = 0, where randomArray is the seeded
generator of benchmarks/src/two-layer.ts (ported exactly below), l = 1, 2, …

Loss. M = 64 collocation points x_j = j / (M − 1), j = 0, …, M − 1 (both ends included):

    L(θ) = (1/M) Σ_j (u_xx(x_j; θ) + π² sin(π x_j))²  +  ½ (u(0; θ)² + u(1; θ)²)

with u_xx = grad(grad(u)) with respect to the input x, vmapped over the points.

Schedule (float64 throughout):
1. Adam, 5000 steps: lr 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, bias-corrected
   (m ← β₁m + (1−β₁)g, s ← β₂s + (1−β₂)g², θ ← θ − lr·m̂/(√ŝ + ε), m̂ = m/(1−β₁ᵗ), ŝ = s/(1−β₂ᵗ)),
   compiled as lax.fori_loop chunks of 500 steps;
2. L-BFGS: scipy.optimize.minimize(method="L-BFGS-B", no bounds, memory 50, ftol = gtol = 0, at most
   LBFGS_MAX_ITER iterations and twice as many evaluations; in practice it stops when the loss stops
   decreasing in floating point), f and ∇f from jit(value_and_grad(L));
3. trust-region Newton-CG: scipy.optimize.minimize(method="trust-ncg", gtol = 1e-12, at most
   NEWTON_MAX_ITER iterations) with hessp = jit(jvp(grad(L))).

Reported per network: the relative L2 error ‖u − sin πx‖₂ / ‖sin πx‖₂ on 1001 evenly spaced points
after each stage; the wall time (and the CPU time of this process) from the start of Adam until
that error is first ≤ 1e-8 (checked after every Adam chunk and every scipy iteration; the checks'
own time and jit compilation are excluded, compilation is reported apart); and the time per call of jvp(grad(L)) (∇L and H·v) and of
grad(L), both inside a compiled loop (lax.fori_loop of K calls, each call's outputs feeding the next:
θ moves by 1e-30·∇L and v becomes H·v/‖H·v‖, so nothing can be hoisted out of the loop) and as one
jitted call dispatched from Python.
"""
import argparse
import datetime
import json
import math
import os
import platform
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import scipy  # noqa: E402
from scipy.optimize import minimize  # noqa: E402

M = 64
EVAL_POINTS = 1001
TARGET = 1e-8
ADAM_STEPS = 5000
ADAM_CHUNK = 500
LBFGS_MAX_ITER = 20000
NEWTON_MAX_ITER = 1000
NETWORKS = ((1, 16, 1), (1, 20, 20, 1))


def random_array(n, seed, scale=1.0):
    """benchmarks/src/two-layer.ts randomArray, bit for bit: seeded uniform numbers in [−scale, scale)."""
    mask = 0xFFFFFFFF
    s = seed & mask
    out = np.empty(n)
    for k in range(n):
        s = (s + 0x6D2B79F5) & mask
        z = s
        z = ((z ^ (z >> 15)) * (z | 1)) & mask
        z = (z ^ ((z + (((z ^ (z >> 7)) * (z | 61)) & mask)) & mask)) & mask
        out[k] = scale * (2 * (((z ^ (z >> 14)) & mask) / 4294967296) - 1)
    return out


def initial_theta(sizes):
    blocks = []
    for layer, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        blocks.append(random_array(fan_out * fan_in, layer, math.sqrt(6 / (fan_in + fan_out))))
        blocks.append(np.zeros(fan_out))
    return np.concatenate(blocks)


def unflatten(sizes, theta):
    layers, at = [], 0
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        w = theta[at:at + fan_out * fan_in].reshape(fan_out, fan_in)
        at += fan_out * fan_in
        b = theta[at:at + fan_out]
        at += fan_out
        layers.append((w, b))
    return layers


def network(sizes):
    def u(theta, x):
        """u(x; θ) at a scalar x."""
        h = jnp.reshape(x, (1,))
        layers = unflatten(sizes, theta)
        for w, b in layers[:-1]:
            h = jnp.tanh(w @ h + b)
        w, b = layers[-1]
        return (w @ h + b)[0]
    return u


def pinn_loss(u):
    xs = jnp.linspace(0.0, 1.0, M)
    forcing = jnp.pi ** 2 * jnp.sin(jnp.pi * xs)
    u_xx = jax.vmap(jax.grad(jax.grad(u, argnums=1), argnums=1), in_axes=(None, 0))

    def loss(theta):
        residual = u_xx(theta, xs) + forcing
        return jnp.mean(residual ** 2) + 0.5 * (u(theta, 0.0) ** 2 + u(theta, 1.0) ** 2)
    return loss


def relative_error_of(u):
    xs = jnp.linspace(0.0, 1.0, EVAL_POINTS)
    exact = jnp.sin(jnp.pi * xs)
    u_all = jax.vmap(u, in_axes=(None, 0))
    return jax.jit(lambda theta: jnp.linalg.norm(u_all(theta, xs) - exact) / jnp.linalg.norm(exact))


class Clock:
    """Wall and CPU time of the schedule with the error checks' own time taken out; notes when the
    error first reaches TARGET. CPU time (all threads of this process) is kept beside wall time
    because on a shared machine the wall time also counts the time other processes held the cores."""

    def __init__(self, error):
        self.error = error
        self.start = (time.perf_counter(), time.process_time())
        self.excluded = [0.0, 0.0]
        self.reached = None

    def _now(self):
        return time.perf_counter(), time.process_time()

    def elapsed(self):
        wall, cpu = self._now()
        return wall - self.start[0] - self.excluded[0], cpu - self.start[1] - self.excluded[1]

    def check(self, theta):
        wall0, cpu0 = self._now()
        at = self.elapsed()
        err = float(self.error(theta))
        if self.reached is None and err <= TARGET:
            self.reached = at
        wall1, cpu1 = self._now()
        self.excluded[0] += wall1 - wall0
        self.excluded[1] += cpu1 - cpu0
        return err


def adam_chunk(loss):
    grad = jax.grad(loss)
    b1, b2, lr, eps = 0.9, 0.999, 1e-3, 1e-8

    def step(t, state):
        theta, m, s = state
        g = grad(theta)
        m = b1 * m + (1 - b1) * g
        s = b2 * s + (1 - b2) * g * g
        k = t + 1.0
        theta = theta - lr * (m / (1 - b1 ** k)) / (jnp.sqrt(s / (1 - b2 ** k)) + eps)
        return theta, m, s

    return jax.jit(lambda first, state: jax.lax.fori_loop(first, first + ADAM_CHUNK, step, state))


def per_call_seconds(loss, theta, quick):
    """Seconds per call of jvp(grad(L)) and grad(L): inside a compiled loop of K calls, and dispatched one by one."""
    grad = jax.grad(loss)
    hvp = jax.jit(lambda th, v: jax.jvp(grad, (th,), (v,)))
    K = 200 if quick else 2000

    # θ moves (by a negligible step) in both loops, so that XLA cannot hoist the primal sweep out of them.
    def hvp_body(_, carry):
        th, v = carry
        g, hv = jax.jvp(grad, (th,), (v,))
        return th - 1e-30 * g, hv / jnp.linalg.norm(hv)

    def grad_body(_, th):
        return th - 1e-30 * grad(th)

    hvp_loop = jax.jit(lambda th, v: jax.lax.fori_loop(0, K, hvp_body, (th, v)))
    grad_loop = jax.jit(lambda th: jax.lax.fori_loop(0, K, grad_body, th))
    v0 = jnp.asarray(random_array(theta.size, 99))

    def fastest(fn, *args, calls):
        jax.block_until_ready(fn(*args))
        best = math.inf
        for _ in range(3 if quick else 7):
            begun = time.perf_counter()
            jax.block_until_ready(fn(*args))
            best = min(best, time.perf_counter() - begun)
        return best / calls

    def dispatched(fn, *args):
        return fastest(lambda *a: [jax.block_until_ready(fn(*a)) for _ in range(100)], *args, calls=100)

    return {
        "jvpGradLoopUs": fastest(hvp_loop, theta, v0, calls=K) * 1e6,
        "gradLoopUs": fastest(grad_loop, theta, calls=K) * 1e6,
        "jvpGradDispatchUs": dispatched(hvp, theta, v0) * 1e6,
        "gradDispatchUs": dispatched(jax.jit(grad), theta) * 1e6,
        "loopCalls": K,
    }


def run_network(sizes, quick):
    u = network(sizes)
    loss = pinn_loss(u)
    error = relative_error_of(u)
    theta0 = jnp.asarray(initial_theta(sizes))
    value_and_grad = jax.jit(jax.value_and_grad(loss))
    hvp = jax.jit(lambda th, v: jax.jvp(jax.grad(loss), (th,), (v,))[1])
    chunk = adam_chunk(loss)
    adam_steps = ADAM_CHUNK if quick else ADAM_STEPS

    # Compile everything the schedule calls before the clock starts.
    begun = time.perf_counter()
    zeros = jnp.zeros_like(theta0)
    jax.block_until_ready(chunk(0, (theta0, zeros, zeros)))
    jax.block_until_ready(value_and_grad(theta0))
    jax.block_until_ready(hvp(theta0, theta0))
    jax.block_until_ready(error(theta0))
    compile_seconds = time.perf_counter() - begun

    stages = []
    clock = Clock(error)
    state = (theta0, zeros, zeros)
    for first in range(0, adam_steps, ADAM_CHUNK):
        state = jax.block_until_ready(chunk(first, state))
        err = clock.check(state[0])
    wall, cpu = clock.elapsed()
    stages.append({"stage": "Adam", "iterations": adam_steps, "seconds": wall, "cpuSeconds": cpu, "loss": float(loss(state[0])), "relL2": err})

    def fun(theta):
        value, g = value_and_grad(theta)
        return float(value), np.asarray(g)

    def run_scipy(name, theta, **kwargs):
        counts = {"hvp": 0}
        errors = []
        if "hessp" in kwargs:
            inner = kwargs["hessp"]

            def counted(x, p):
                counts["hvp"] += 1
                return inner(x, p)
            kwargs["hessp"] = counted
        result = minimize(fun, np.asarray(theta), jac=True, callback=lambda x: errors.append(clock.check(x)), **kwargs)
        err = clock.check(result.x)
        wall, cpu = clock.elapsed()
        stage = {"stage": name, "iterations": int(result.nit), "seconds": wall, "cpuSeconds": cpu, "loss": float(result.fun),
                 "relL2": err, "message": str(result.message)}
        if "hessp" in kwargs:
            stage["hvpCount"] = counts["hvp"]
        stages.append(stage)
        return result.x

    lbfgs_iterations = 2000 if quick else LBFGS_MAX_ITER
    theta = run_scipy("L-BFGS", state[0], method="L-BFGS-B",
                      options={"maxcor": 50, "ftol": 0.0, "gtol": 0.0, "maxiter": lbfgs_iterations, "maxfun": 2 * lbfgs_iterations})
    run_scipy("trust-ncg", theta, method="trust-ncg", hessp=lambda x, p: np.asarray(hvp(x, p)),
              options={"gtol": 1e-12, "maxiter": 100 if quick else NEWTON_MAX_ITER})

    return {
        "network": "-".join(str(s) for s in sizes),
        "parameters": int(theta0.size),
        "compileSeconds": compile_seconds,
        "stages": stages,
        "secondsToTarget": clock.reached[0] if clock.reached else None,
        "cpuSecondsToTarget": clock.reached[1] if clock.reached else None,
        "perCall": per_call_seconds(loss, jnp.asarray(theta), quick),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1-16-1 only, 500 Adam steps (checks the wiring)")
    parser.add_argument("--out", default=None, help="JSON results path (default: benchmarks/jax/pinn-results.json; --quick: none)")
    args = parser.parse_args()
    out = args.out or (None if args.quick else os.path.join(os.path.dirname(os.path.abspath(__file__)), "pinn-results.json"))

    results = {
        "command": "python benchmarks/jax/pinn.py" + (" --quick" if args.quick else ""),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
                    "loadAverage": ", ".join(f"{x:.2f}" for x in os.getloadavg())},
        "versions": {"python": platform.python_version(), "jax": jax.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
        "target": TARGET,
        "networks": [],
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), None)
        if model:
            results["machine"]["cpu"] = model
    except OSError:
        pass

    for sizes in NETWORKS[:1] if args.quick else NETWORKS:
        r = run_network(sizes, args.quick)
        results["networks"].append(r)
        print(f"{r['network']} (W = {r['parameters']}), compiled in {r['compileSeconds']:.1f} s")
        for s in r["stages"]:
            extra = f", {s['hvpCount']} H·v" if "hvpCount" in s else ""
            print(f"  {s['stage']:<9} {s['iterations']:>6} iterations{extra}, at {s['seconds']:7.2f} s ({s['cpuSeconds']:.2f} s CPU): "
                  f"loss {s['loss']:.2e}, rel. L2 error {s['relL2']:.2e}")
        reached = r["secondsToTarget"]
        print(f"  rel. L2 error ≤ {TARGET:.0e} after {reached:.2f} s ({r['cpuSecondsToTarget']:.2f} s CPU)" if reached is not None
              else f"  rel. L2 error never ≤ {TARGET:.0e}")
        c = r["perCall"]
        print(f"  per call in a compiled loop: jvp(grad(L)) {c['jvpGradLoopUs']:.1f} µs, grad(L) {c['gradLoopUs']:.1f} µs "
              f"(ratio {c['jvpGradLoopUs'] / c['gradLoopUs']:.2f}); dispatched from Python: {c['jvpGradDispatchUs']:.1f} µs, {c['gradDispatchUs']:.1f} µs")
        sys.stdout.flush()
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=1)
            f.write("\n")
        print(f"wrote {os.path.relpath(out)}")


if __name__ == "__main__":
    main()
