"""The inputs the Node side wrote for one problem: a manifest.json and one raw little-endian float64
file per array (benchmarks/src/suites/jax-cpu.ts writes them from the same seeded generator the
dualtape suites use, so both sides compute on identical numbers)."""
import json
import os

import numpy as np


class Inputs:
    def __init__(self, manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.dir = os.path.dirname(os.path.abspath(manifest_path))

    @property
    def problem(self):
        return self.manifest["problem"]

    @property
    def quick(self):
        return bool(self.manifest["quick"])

    def param(self, name):
        return self.manifest["params"][name]

    def array(self, name):
        """The float64 array `name`, in the shape the manifest gives (row-major)."""
        shape = self.manifest["arrays"][name]
        data = np.fromfile(os.path.join(self.dir, f"{name}.f64"), dtype="<f8")
        expected = int(np.prod(shape))
        if data.size != expected:
            raise ValueError(f"{name}.f64 holds {data.size} numbers, the manifest says shape {shape} ({expected})")
        return data.reshape(shape)
