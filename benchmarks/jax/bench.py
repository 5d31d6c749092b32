"""JAX CPU beside `pnpm bench`: one problem per call, on the inputs the Node side wrote.

    python bench.py MANIFEST      runs the problem MANIFEST names; writes its rows as JSON to the
                                  manifest's "out" path (benchmarks/src/suites/jax-cpu.ts reads it)
    python bench.py --versions    prints the versions of Python, jax, jaxlib, numpy, scipy as JSON
                                  (`pnpm bench` runs this first to decide whether JAX can run)

float64 needs jax_enable_x64, set here before any array is made; float32 rows use float32 arrays,
which stay float32 with x64 enabled.
"""
import json
import os
import platform
import sys

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)


def versions():
    import jaxlib
    import numpy
    out = {"python": platform.python_version(), "jax": jax.__version__, "jaxlib": jaxlib.__version__,
           "numpy": numpy.__version__, "devices": ", ".join(str(d) for d in jax.devices())}
    try:
        import scipy
        out["scipy"] = scipy.__version__
    except ImportError:
        out["scipy"] = "not installed"
    return out


def main(argv):
    if argv[1:] == ["--versions"]:
        print(json.dumps(versions()))
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    from inputs import Inputs
    import hessian
    import newton
    import rosenbrock
    import two_layer

    inputs = Inputs(argv[1])
    problems = {"two-layer": two_layer.run, "rosenbrock": rosenbrock.run, "hessian": hessian.run, "newton": newton.run}
    if inputs.problem not in problems:
        print(f"unknown problem {inputs.problem!r}; expected one of {', '.join(problems)}", file=sys.stderr)
        return 2
    result = problems[inputs.problem](inputs)
    result["versions"] = versions()
    with open(inputs.manifest["out"], "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
