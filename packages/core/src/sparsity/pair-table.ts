/**
 * A map from pairs of non-negative integers to non-negative integers in typed arrays (open
 * addressing): the star coloring's (vertex, color) → star lookup, one per edge end, with no object
 * per entry.
 * @module
 */

/** What {@link PairTable.get} returns for a pair it does not hold. */
export const ABSENT = -1;

export class PairTable {
  private keysA: Int32Array;
  private keysB: Int32Array;
  private values: Int32Array;
  private size = 0;

  constructor(expected: number) {
    let capacity = 1024;
    while (capacity < 2 * expected) capacity *= 2;
    this.keysA = new Int32Array(capacity).fill(ABSENT);
    this.keysB = new Int32Array(capacity);
    this.values = new Int32Array(capacity);
  }

  get(a: number, b: number): number {
    const mask = this.keysA.length - 1;
    for (let slot = hashPair(a, b) & mask; ; slot = (slot + 1) & mask) {
      const ka = this.keysA[slot];
      if (ka === ABSENT) return ABSENT;
      if (ka === a && this.keysB[slot] === b) return this.values[slot];
    }
  }

  set(a: number, b: number, value: number): void {
    const mask = this.keysA.length - 1;
    let slot = hashPair(a, b) & mask;
    for (; this.keysA[slot] !== ABSENT; slot = (slot + 1) & mask) {
      if (this.keysA[slot] === a && this.keysB[slot] === b) {
        this.values[slot] = value;
        return;
      }
    }
    this.keysA[slot] = a;
    this.keysB[slot] = b;
    this.values[slot] = value;
    if (2 * ++this.size > this.keysA.length) this.rehash();
  }

  private rehash(): void {
    const { keysA, keysB, values } = this;
    this.keysA = new Int32Array(keysA.length * 2).fill(ABSENT);
    this.keysB = new Int32Array(keysA.length * 2);
    this.values = new Int32Array(keysA.length * 2);
    this.size = 0;
    for (let slot = 0; slot < keysA.length; slot++) if (keysA[slot] !== ABSENT) this.set(keysA[slot], keysB[slot], values[slot]);
  }
}

function hashPair(a: number, b: number): number {
  const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  return h ^ (h >>> 16);
}

