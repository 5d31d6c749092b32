// The policy that stops splitting products across threads when the workers stop helping
// (kernels/back-off.ts): which split products count, when it backs off, and for how long.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BACK_OFF, SplitBackOff } from '../src/kernels/back-off.js';

/** How many of the next `n` large products the policy would split. */
function splitsOf(b: SplitBackOff, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (b.worthSplitting()) count++;
  return count;
}

describe('SplitBackOff', () => {
  it('keeps splitting while each split product runs near twice as fast', () => {
    const b = new SplitBackOff();
    // Two chunks, the caller took one in 1 ms, the whole took 1.05 ms: a speed-up of 1.9.
    for (let i = 0; i < 1000; i++) b.record(1, 2, 1, 1.05);
    expect(splitsOf(b, 10)).toBe(10);
  });

  it('backs off for BACK_OFF products once splitting stops paying, then splits again', () => {
    const b = new SplitBackOff();
    let products = 0;
    // The worker took its chunk but finished late: the whole took 2 ms for 2 × 1 ms of work (1×).
    while (b.worthSplitting()) {
      b.record(1, 2, 1, 2);
      products++;
      expect(products).toBeLessThan(20);
    }
    // That product was not split; the next BACK_OFF − 1 are not either, then splitting resumes.
    expect(splitsOf(b, BACK_OFF - 1)).toBe(0);
    expect(b.worthSplitting()).toBe(true);
  });

  it('does not count products whose chunks the caller computed alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 2, max: 64 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (n, chunks, ms) => {
        const b = new SplitBackOff();
        // mine = chunks: the worker never claimed one (waking up, or descheduled), and the caller's
        // wall time equals its own: an estimate of 1, which would back off if it counted.
        for (let i = 0; i < n; i++) b.record(chunks, chunks, ms, ms);
        return splitsOf(b, 5) === 5;
      }),
    );
  });

  it('ignores empty and unmeasurable products, and reset() ends a back-off', () => {
    const b = new SplitBackOff();
    for (let i = 0; i < 100; i++) {
      b.record(0, 2, 0, 1);
      b.record(1, 2, 1, 0);
      b.record(1, 2, 1, NaN);
    }
    expect(b.worthSplitting()).toBe(true);
    for (let i = 0; i < 50; i++) b.record(1, 2, 1, 4);
    expect(b.worthSplitting()).toBe(false);
    b.reset();
    expect(splitsOf(b, 3)).toBe(3);
  });
});
