/** What the A/B timing (./ab.ts) needs from one build of dualtape: gradAndHvp (and compile) and the problem. */
export { compile, gradAndHvp, setKernelBackend } from '@dualtape/core';
export { sseLoss } from '../two-layer.js';
export { twoLayerProblem, reference, flat } from '../lib/problem.js';
