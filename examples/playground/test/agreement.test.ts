// The playground's verdict on H·v against finite differences: a pass only when every number is
// finite and the two agree.
import * as dt from '@dualtape/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGREEMENT_TOLERANCE, agreement, evaluate } from '../src/evaluate.js';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const nonFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

/** A made-up evaluation: only the fields agreement() reads. */
function made(value: number, grad: number[], hvp: number[], estimate: number[], relativeError: number) {
  return {
    trace: { value } as dt.Trace,
    grad: Float64Array.from(grad),
    check: { h: 1e-5, hvp: Float64Array.from(hvp), estimate: Float64Array.from(estimate), relativeError },
  };
}

describe('agreement', () => {
  it('fails whenever any number is not finite, whatever the relative difference says', () => {
    fc.assert(fc.property(
      fc.array(finite, { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 3 }), nonFinite, fc.double({ min: 0, max: 1e-9, noNaN: true }),
      ([value, g, h, e], where, bad, relativeError) => {
        const numbers = [value, g, h, e];
        numbers[where] = bad;
        const verdict = agreement(made(numbers[0], [numbers[1]], [numbers[2]], [numbers[3]], relativeError));
        expect(verdict.ok).toBe(false);
        expect(verdict.text).toMatch(/not (a )?finite/);
      },
    ));
  });

  it('passes finite numbers exactly when the relative difference is below the tolerance', () => {
    fc.assert(fc.property(fc.array(finite, { minLength: 4, maxLength: 4 }), fc.double({ min: 0, max: 1, noNaN: true }), ([value, g, h, e], relativeError) => {
      const verdict = agreement(made(value, [g], [h], [e], relativeError));
      expect(verdict.ok).toBe(relativeError < AGREEMENT_TOLERANCE);
      if (!verdict.ok) expect(verdict.text).toMatch(/disagree/);
    }));
  });

  it('fails f = NaN even though ∇f = H·v = 0 and the estimate agrees (the case that showed green)', () => {
    const ev = made(Number.NaN, [0, 0], [0, 0], [0, 0], 0);
    expect(agreement(ev).ok).toBe(false);
  });

  it('judges real evaluations: a smooth f passes, √x at −1 and |x| at its kink fail', () => {
    expect(agreement(evaluate('(x) => x.sin().mul(x)', '0.7', '1')).ok).toBe(true);
    expect(agreement(evaluate('(x) => x.sqrt()', '-1', '1')).ok).toBe(false);
    expect(agreement(evaluate('(x) => x.abs()', '0', '1')).ok).toBe(false);
  });
});
