"""JAX CPU beside src/speed/ab.ts: jit(jvp(value_and_grad(f))) float64 on the two-layer sizes, fastest
call over three seconds each, with random data of the same shapes (timing only; `pnpm bench` is the
accuracy-checked comparison). From the repository root:
    .venv/bin/python benchmarks/src/speed/jax-two-layer.py
"""
import os, time
os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax, jax.numpy as jnp, numpy as np
jax.config.update("jax_enable_x64", True)
rng = np.random.default_rng(0)
for D, H, K, N in [(10, 20, 5, 64), (100, 200, 10, 256), (784, 256, 10, 128), (784, 1024, 10, 256)]:
    X = jnp.asarray(rng.uniform(-1, 1, (N, D))); T = jnp.asarray(rng.uniform(-1, 1, (N, K)))
    def f(w):
        w1 = w[:H * D].reshape(H, D); b1 = w[H * D:H * D + H]; w2 = w[H * D + H:H * D + H + K * H].reshape(K, H); b2 = w[H * D + H + K * H:]
        y = jnp.tanh(X @ w1.T + b1) @ w2.T + b2
        return 0.5 * jnp.sum((y - T) ** 2)
    W = H * D + H + K * H + K
    w = jnp.asarray(rng.uniform(-0.1, 0.1, W)); v = jnp.asarray(rng.uniform(-1, 1, W))
    g = jax.jit(lambda w, v: jax.jvp(jax.value_and_grad(f), (w,), (v,)))
    jax.block_until_ready(g(w, v))
    best = float('inf')
    end = time.perf_counter() + 3
    while time.perf_counter() < end:
        t = time.perf_counter(); jax.block_until_ready(g(w, v)); best = min(best, time.perf_counter() - t)
    print(f"{D}-{H}-{K}-{N}: JAX CPU jit(jvp(value_and_grad)) float64 fastest {best * 1e3:.3f} ms")
