// The rounding error of a floating-point product, exactly (Dekker 1971): with p = fl(a·b), a·b = p + e
// where e is returned. Each factor is split into halves of 26 bits whose products are exact.

/** a·b − fl(a·b), exactly, given p = fl(a·b) (|a|, |b| < 2⁹⁹⁵, so the splits cannot overflow). */
export function productError(a: number, b: number, p: number): number {
  const SPLIT = 134217729; // 2²⁷ + 1
  let c = SPLIT * a;
  const aHi = c - (c - a), aLo = a - aHi;
  c = SPLIT * b;
  const bHi = c - (c - b), bLo = b - bHi;
  return aHi * bHi - p + aHi * bLo + aLo * bHi + aLo * bLo;
}
