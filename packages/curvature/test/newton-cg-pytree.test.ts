/** End-to-end check of the pytree wrapper against @dualtape/core's exact H·v. */
import { describe, expect, it } from 'vitest';
import * as pytreeModule from '../src/newton-cg-pytree.js';
import { newtonCGFlat } from '../src/newton-cg.js';
import { oracleOf, rosenbrock } from './mgh.js';

type PytreeModule = typeof pytreeModule;
const mod: PytreeModule = pytreeModule;

describe('newtonCG on pytrees', () => {
  it('Rosenbrock on { a, b } follows the same path as the hand-written oracle', () => {
    const { newtonCG } = mod as PytreeModule;
    const r = newtonCG(
      (p: { a: import('@dualtape/core').Scalar; b: import('@dualtape/core').Scalar }) =>
        p.b.sub(p.a.square()).square().mul(100).add(p.a.neg().add(1).square()),
      { a: -1.2, b: 1 },
    );
    const flat = newtonCGFlat(oracleOf(rosenbrock), Float64Array.from(rosenbrock.x0));
    expect(r.converged).toBe(true);
    expect(r.x.a).toBeCloseTo(1, 8);
    expect(r.x.b).toBeCloseTo(1, 8);
    // Same algorithm, same derivatives up to rounding: the early iterates coincide.
    for (let i = 0; i < 10; i++) {
      expect(r.history[i].value).toBeCloseTo(flat.history[i].value, 8);
      expect(r.history[i].cgIterations).toBe(flat.history[i].cgIterations);
    }
  });

  it('keeps the structure of x0 (arrays come back as Float64Array)', () => {
    const { newtonCG } = mod as PytreeModule;
    // f = ‖w − 2‖² + (b + 1)²
    const r = newtonCG(
      (p: { w: import('@dualtape/core').Tensor; b: import('@dualtape/core').Scalar }) =>
        p.w.sub(2).square().sum().add(p.b.add(1).square()),
      { w: [0, 0, 0], b: 0 },
      { initialRadius: 10 },
    );
    expect(r.converged).toBe(true);
    expect(r.x.w).toBeInstanceOf(Float64Array);
    [0, 1, 2].forEach((i) => expect(r.x.w[i]).toBeCloseTo(2, 10));
    expect(r.x.b).toBeCloseTo(-1, 10);
  });
});
