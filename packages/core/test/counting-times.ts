/** A counting structural-zero product, as NumberAlgebra.times: for tests of fused loops (fusion.ts). */
export function counter() {
  const state = { count: 0 };
  const times = (u: number, w: number): number => {
    if (u === 0 || w === 0) {
      if (u - u !== 0 || w - w !== 0) state.count++;
      return 0;
    }
    return u * w + 0;
  };
  return { state, times };
}
