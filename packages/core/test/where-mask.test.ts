// where with a mask that depends on x (issue 14/15 follow-up): y depends on the mask only through
// which entries are nonzero, a piecewise-constant function of x, so no derivative flows into it and
// the derivatives are those of the picked operand; the other operand's non-finite values stay out;
// and a compiled replay watches the mask, where a mask built from .value is frozen.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BranchChangeError, compile, gradAndHvp, relu, sign, valueAndGrad, where, type Tensor } from '../src/index.js';
import { checkGrads } from '../src/testing/index.js';

/** log s where s > 0, s³ elsewhere: a piecewise function whose unpicked branch is NaN or −∞. */
const piecewise = (s: Tensor) => where(relu(sign(s)), s.log(), s.square().mul(s)).sum();
const byHand = (s: number[]) => ({
  value: s.reduce((acc, v) => acc + (v > 0 ? Math.log(v) : v ** 3), 0),
  grad: s.map((v) => (v > 0 ? 1 / v : 3 * v * v)),
  hessianDiagonal: s.map((v) => (v > 0 ? -1 / (v * v) : 6 * v)),
});

describe('where with a mask node that depends on x', () => {
  it('value, ∇ and H·v are those of the picked piece, at any point (0 and negatives included)', () => {
    // Away from 0 by 1e-3 (1/s and 1/s² stay finite in the reference), and 0 itself.
    const entry = fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }).filter((v) => Math.abs(v) > 1e-3), fc.constant(0), fc.constant(-0));
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), (s) => {
      const v = s.map((_, k) => 1 + k);
      const r = gradAndHvp(piecewise, s, v);
      const e = byHand(s);
      const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
      close(r.value, e.value);
      e.grad.forEach((g, k) => close(r.grad[k], g));
      e.hessianDiagonal.forEach((h, k) => close(r.hvp[k], h * v[k]));
    }), { numRuns: 100, seed: 14 });
  });

  it('passes checkGrads at order 3 (nested transforms) away from the switch', () => {
    expect(checkGrads(piecewise, [0.7, -0.4, 1.3], { order: 3 }).every((c) => c.passed)).toBe(true);
  });

  it('a compiled replay notices the mask change; a mask from .value is frozen', () => {
    const recordedAt = [0.7, 2], otherSide = [0.7, -2];
    const fresh = valueAndGrad(piecewise)(otherSide);
    const program = compile(piecewise, recordedAt);
    const replayed = program.valueAndGrad(otherSide);
    expect(replayed.value).toBe(fresh.value);
    expect([...replayed.grad]).toEqual([...fresh.grad]);
    expect(program.rerecords).toBe(1);
    expect(() => compile(piecewise, recordedAt, { onBranchChange: 'throw' }).valueAndGrad(otherSide)).toThrow(BranchChangeError);
    // The same choice made in JavaScript: the replay keeps the recorded mask (log of −2: NaN), silently.
    const frozen = (s: Tensor) => where(Array.from(s.value, (v) => (v > 0 ? 1 : 0)), s.log(), s.square().mul(s)).sum();
    expect(compile(frozen, recordedAt).valueAndGrad(otherSide).value).toBeNaN();
  });
});
