"""Timing and accuracy helpers shared by the JAX CPU benchmarks, mirroring benchmarks/src/lib/measure.ts.

Times are taken the way the Node side takes them with benchmark.js: one untimed warm-up call (the
accuracy check, which is also where jit compiles), then samples of back-to-back calls, each sample
lasting at least MIN_SAMPLE_SECONDS; the fastest sample's time per call is reported (other processes
on a shared machine only ever add time). Every call waits for its results with block_until_ready,
as a synchronous dualtape call does.
"""
import math
import time

import jax
import numpy as np

# benchmark.js's default minimum cycle time.
MIN_SAMPLE_SECONDS = 0.05


def call_blocking(fn, *args):
    return jax.block_until_ready(fn(*args))


def time_call(fn, args, quick):
    """Milliseconds per call of fn(*args): fastest sample, mean over samples, number of samples.

    Called after the untimed warm-up call (which compiled fn). One more call sizes the run as
    measure.ts sizes it from its warm-up: slow calls get fewer samples, quick runs a shorter time.
    """
    start = time.perf_counter()
    call_blocking(fn, *args)
    one = max(time.perf_counter() - start, 1e-7)
    min_samples = 2 if one > 1 else 3 if (one > 0.2 or quick) else 5
    max_time = 0.1 if quick else 0.5 if one > 1 else 1.5
    per_sample = max(1, math.ceil(MIN_SAMPLE_SECONDS / one))
    samples = []
    begun = time.perf_counter()
    while len(samples) < min_samples or time.perf_counter() - begun < max_time:
        start = time.perf_counter()
        for _ in range(per_sample):
            call_blocking(fn, *args)
        samples.append((time.perf_counter() - start) / per_sample)
    return {"ms": min(samples) * 1e3, "meanMs": sum(samples) / len(samples) * 1e3, "samples": len(samples)}


def max_rel_diff(a, b):
    """max |a − b| / max(|a|, |b|) over all entries, in float64: the relative error every table reports."""
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape:
        return math.inf
    diff = np.abs(a - b)
    if np.isnan(diff).any():
        return math.nan
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)), 1e-300)
    return float(np.max(diff, initial=0.0)) / scale


def timed_row(row_id, label, precision, fn, args, check, quick, note=None):
    """Checks fn(*args) with check(result) -> rel. error (also the warm-up call), then times it.

    A row that throws is reported as not run with the error, like the Node side's rows.
    """
    try:
        out = call_blocking(fn, *args)
        err = check(out)
    except Exception as e:  # noqa: BLE001 — any failure becomes the row's note
        return {"id": row_id, "label": label, "precision": precision, "ms": None, "meanMs": None,
                "samples": None, "err": None, "note": f"threw: {type(e).__name__}: {str(e).splitlines()[0]}"}
    t = time_call(fn, args, quick)
    row = {"id": row_id, "label": label, "precision": precision, **t, "err": err}
    if note:
        row["note"] = note
    return row
