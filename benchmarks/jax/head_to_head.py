"""JAX CPU's half of the interleaved head-to-head (benchmarks/src/suites/head-to-head.ts).

    python head_to_head.py MANIFEST

Loads the two-layer inputs the Node side wrote (inputs.py), jit-compiles jvp(value_and_grad(E)) in
float64 (two_layer.py's loss: f, ∇f and H·v, what gradAndHvp returns), checks its H·v against the
reference, and prints one JSON line: {"ready": true, "err": ...}. Then it answers commands on
stdin, one per line, with one JSON line each:

    time SECONDS   calls the function back to back for SECONDS (after one untimed call) and prints
                   {"fastestMs": ..., "medianMs": ..., "calls": ...}
    quit           exits

The Node side alternates its own timing windows with these, so both see the same machine state;
a window here is timed exactly as a window there (each call on its own, block_until_ready).
"""
import json
import os
import sys
import time

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402

from inputs import Inputs  # noqa: E402
from timing import max_rel_diff  # noqa: E402
from two_layer import KEYS, flat, loss_of  # noqa: E402


def window(fn, args, seconds):
    """Times calls of fn(*args) for `seconds`: the fastest and the median call, in ms."""
    jax.block_until_ready(fn(*args))
    times = []
    end = time.perf_counter() + seconds
    while True:
        start = time.perf_counter()
        jax.block_until_ready(fn(*args))
        now = time.perf_counter()
        times.append(now - start)
        if now >= end:
            break
    times.sort()
    return {"fastestMs": times[0] * 1e3, "medianMs": times[len(times) // 2] * 1e3, "calls": len(times)}


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    inputs = Inputs(argv[1])
    cast = lambda name: jnp.asarray(inputs.array(name), dtype=jnp.float64)  # noqa: E731
    p = {k: cast(f"p_{k}") for k in KEYS}
    v = {k: cast(f"v_{k}") for k in KEYS}
    loss = loss_of(cast("X"), cast("T"))
    fn = jax.jit(lambda q, u: jax.jvp(jax.value_and_grad(loss), (q,), (u,)))
    out = jax.block_until_ready(fn(p, v))
    err = max_rel_diff(flat(out[1][1]), inputs.array("ref_hvp"))
    print(json.dumps({"ready": True, "err": err, "jax": jax.__version__}), flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            return 0
        if words[0] == "time" and len(words) == 2:
            print(json.dumps(window(fn, (p, v), float(words[1]))), flush=True)
        else:
            print(json.dumps({"error": f"unknown command {line.strip()!r}; expected 'time SECONDS' or 'quit'"}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
