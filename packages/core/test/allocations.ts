// Counting the arrays a call makes (views.test.ts, spent-lanes.test.ts, deferred-work.test.ts).

/**
 * The arrays of `size` numbers that `run` makes: new ones (a proxy keeps instanceof as it was) and copies
 * by slice. `run` is called once before counting, to warm the loops, kernels and lanes it makes once.
 */
export function madeDuring(size: number, run: () => unknown): { made: number; copied: number } {
  const Original = globalThis.Float64Array;
  const originalSlice = Original.prototype.slice;
  run();
  let made = 0, copied = 0;
  globalThis.Float64Array = new Proxy(Original, {
    construct(target, args, newTarget) {
      const a = Reflect.construct(target, args, newTarget) as Float64Array;
      if (a.length === size) made++;
      return a;
    },
  });
  Original.prototype.slice = function (this: Float64Array, start?: number, end?: number) {
    const a = originalSlice.call(this, start, end);
    if (a.length === size) copied++;
    return a;
  };
  try {
    run();
  } finally {
    globalThis.Float64Array = Original;
    Original.prototype.slice = originalSlice;
  }
  return { made, copied };
}
