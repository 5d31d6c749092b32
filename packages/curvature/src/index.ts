/**
 * `@dualtape/curvature`: tools built on Hessian-vector products — CG, Steihaug trust-region
 * Newton–CG, Lanczos, power iteration, Hutchinson trace/diagonal and spectral density, and a
 * dense Jacobi eigen-solver, and the general optimizers `lbfgs` and `adam`. The solvers work on plain
 * `Float64Array` operators and oracles (the `…Flat` forms); the pytree forms `newtonCG`, `lbfgs` and
 * `adam` take a `@dualtape/core` function and differentiate it. Every options object is checked at
 * run time with core's `checkOptions` (one vocabulary: `maxIterations`, `tolerance`, `gradTolerance`, …).
 */
export * from './errors.js';
export * from './operator.js';
export * from './vector.js';
export * from './random.js';
export * from './validate.js';
export * from './cg.js';
export * from './steihaug.js';
export * from './newton-cg.js';
export * from './newton-cg-pytree.js';
export * from './line-search.js';
export * from './lbfgs.js';
export * from './adam.js';
export * from './optimizers-pytree.js';
export * from './tridiagonal-eigen.js';
export * from './dense-matrix.js';
export * from './jacobi.js';
export * from './symmetry.js';
export * from './lanczos-process.js';
export * from './lanczos.js';
export * from './power-iteration.js';
export * from './hutchinson.js';
export * from './spectral-density.js';
