/**
 * `@dualtape/core/testing`: the gradient-checking harness our op tests use, for users' own losses.
 * @module
 */
export { checkGrads, GradientCheckError, seededUniform } from './check-grads.js';
export type { CheckGradsOptions, GradCheck } from './check-grads.js';
