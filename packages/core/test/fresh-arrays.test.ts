// The algebra marks the arrays it has just allocated as fresh (algebra/numbers.ts): a lane handed one
// takes it as its own instead of copying it. Taking an array that something else still holds would
// make two lanes share it and an in-place update of one would change the other, so the rules are:
// an array is taken at most once per fresh, never after keep, and never if it was not fresh. Large
// arrays are remembered exactly (a WeakSet); small ones in a ring of recent ones, where forgetting
// one early is allowed (the lane copies it) but remembering a wrong one is not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fresh, isHeld, keep, takeFresh } from '../src/algebra/numbers.js';

/** The ring's size: a small array is still takeable after this many other small arrays went in. */
const RING = 16;

describe('fresh arrays', () => {
  for (const [label, size] of [['small', 6], ['large', 10_000]] as const) {
    it(`${label}: taken once, held before fresh, after take and after keep`, () => {
      const a = new Float64Array(size);
      expect(isHeld(a)).toBe(true);
      expect(takeFresh(a)).toBe(false);
      fresh(a);
      expect(isHeld(a)).toBe(false);
      expect(takeFresh(a)).toBe(true);
      expect(takeFresh(a)).toBe(false);
      expect(isHeld(a)).toBe(true);
      fresh(fresh(a)); // marked twice: still taken only once
      expect(takeFresh(a)).toBe(true);
      expect(takeFresh(a)).toBe(false);
      fresh(a);
      keep(a);
      expect(isHeld(a)).toBe(true);
      expect(takeFresh(a)).toBe(false);
    });
  }

  it('a small array pushed out of the ring counts as held, and is not taken', () => {
    const first = fresh(new Float64Array(3));
    const others = Array.from({ length: RING }, () => fresh(new Float64Array(3)));
    expect(isHeld(first)).toBe(true);
    expect(takeFresh(first)).toBe(false);
    for (const o of others) expect(takeFresh(o)).toBe(true);
  });

  // A model: which arrays are fresh and not yet taken or kept, and when each small one went in.
  it('never takes an array that is not fresh; large arrays exactly, small ones while recent', () => {
    const arrays = [
      ...Array.from({ length: 5 }, () => new Float64Array(4)),
      ...Array.from({ length: 3 }, () => new Float64Array(5000)),
    ];
    const small = (i: number) => arrays[i].length <= 4096;
    const step = fc.tuple(fc.constantFrom('fresh', 'keep', 'take', 'held'), fc.integer({ min: 0, max: arrays.length - 1 }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), (steps) => {
        for (const a of arrays) keep(a); // a clean start for every run
        const live = new Set<number>();
        const insertedAt = new Map<number, number>(); // small array → count of small insertions then
        let insertions = 0;
        for (const [what, i] of steps) {
          const a = arrays[i];
          const recent = !small(i) || insertions - (insertedAt.get(i) ?? -Infinity) < RING;
          if (what === 'fresh') {
            if (small(i) && !(live.has(i) && recent)) insertedAt.set(i, insertions++);
            live.add(i);
            fresh(a);
          } else if (what === 'keep') {
            live.delete(i);
            keep(a);
          } else if (what === 'take') {
            const took = takeFresh(a);
            if (took && !live.has(i)) return false; // sound: only ever a fresh array
            if (live.has(i) && recent && !took) return false; // complete while remembered
            live.delete(i);
          } else {
            const held = isHeld(a);
            if (!held && !live.has(i)) return false;
            if (live.has(i) && recent && held) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
