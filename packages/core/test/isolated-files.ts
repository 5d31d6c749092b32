// The test files that run each in a fresh module graph (vitest.isolated.config.ts); every other file
// of the package shares one (vitest.config.ts: isolate: false), which saves loading the engine's
// ~270 modules again for each of ~100 files. A file belongs here when what it checks depends on
// module state that another file could have changed or consumed before it:
export const ISOLATED_FILES = [
  // It sets process-wide kernel or code-generation state (setKernelBackend, its threads and fma —
  // fma: true turns on a V8 flag for the whole process —, setMemoryLimit, poisonUnfilled, the
  // allow…Codegen switches, initKernels, the thread pool), or reads the kernels' counters and
  // workers; their tests restore the defaults, but a fresh process is what they are written against.
  'test/fused-nan-checks.test.ts',
  'test/fused-pairs.test.ts',
  'test/fusion-interpreter.test.ts',
  'test/kernels-backends.test.ts',
  'test/kernels-blocks.test.ts',
  'test/kernels-fma.test.ts',
  'test/kernels-nan-flag.test.ts',
  'test/lanes.test.ts',
  'test/jacobian-modes.test.ts',
  'test/zero-adjoint.test.ts',
  'test/matmul-batch.test.ts',
  'test/matmul-sum.test.ts',
  'test/misuse-fixes.test.ts',
  'test/misuse-sweep.test.ts',
  'test/nn-ops.test.ts',
  'test/own-loops.test.ts',
  'test/split-loops.test.ts',
  'test/unfilled.test.ts',
  'test/wasm-loops.test.ts',
  // Its inputs come from a seeded stream kept by a shared helper module, so they would depend on
  // which files ran first: op-tables/cases.ts (`random`, drawn when the tables are built and at each
  // case's points) and peers/autograd-check.ts (output weights cached by slot and shape).
  'test/compile-lanes.test.ts',
  'test/compile.test.ts',
  'test/eager-operands.test.ts',
  'test/ops-table.test.ts',
  'test/sparse-hessian.test.ts',
  'test/peers/autograd-linalg.test.ts',
  'test/peers/autograd-systematic.test.ts',
  'test/peers/autograd-wrappers.test.ts',
  'test/peers/jax-linalg.test.ts',
];
