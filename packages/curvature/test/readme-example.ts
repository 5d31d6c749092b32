// The example of ../README.md ("Ten lines"), line for line: readme.test.ts keeps the two equal.
import { hvpOperator, type Scalar } from '@dualtape/core';
import { lanczos, newtonCG } from '@dualtape/curvature';

// Minimize Rosenbrock's function by trust-region Newton-CG: every inner step uses an exact H·v.
const rosenbrock = (p: { a: Scalar; b: Scalar }) => p.a.neg().add(1).square().add(p.b.sub(p.a.square()).square().mul(100));
const { x, iterations, hvpCount } = newtonCG(rosenbrock, { a: -1.2, b: 1 });

// The largest eigenvalue of the Hessian at the minimum, by Lanczos on H·v (H is never formed).
const H = hvpOperator(rosenbrock, x); // records f once; each product re-runs only the tangent lanes
const { values } = lanczos((v) => H.applyFlat(v), H.size, 1);
console.log(x, iterations, hvpCount, values[0]); // { a: ≈1, b: ≈1 }, then the counts and λ_max ≈ 1001.6
