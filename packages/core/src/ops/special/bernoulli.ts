// The Bernoulli numbers B₂, B₄, …, B₃₀ as exact fractions (numerators and denominators are exact
// doubles, so each quotient is correctly rounded). They are the coefficients of the asymptotic series
// of ln Γ and ψ and of the Euler–Maclaurin remainder of the Hurwitz zeta function. The test suite
// checks them against Bernoulli numbers it generates itself (Akiyama–Tanigawa, in BigInt).

/** B_{2j} for j = 1…15: BERNOULLI_EVEN[j − 1] = B_{2j}. */
export const BERNOULLI_EVEN: readonly number[] = [
  1 / 6,
  -1 / 30,
  1 / 42,
  -1 / 30,
  5 / 66,
  -691 / 2730,
  7 / 6,
  -3617 / 510,
  43867 / 798,
  -174611 / 330,
  854513 / 138,
  -236364091 / 2730,
  8553103 / 6,
  -23749461029 / 870,
  8615841276005 / 14322,
];
