/**
 * Moré–Garbow–Hillstrom test problems (ACM TOMS 7, 1981) with hand-derived gradients and
 * Hessian-vector products. The derivatives are checked against finite differences in
 * newton-cg.test.ts before being used.
 */
import { matvec, type Matrix } from './helpers.js';

export interface Problem {
  name: string;
  x0: number[];
  f(x: Float64Array): number;
  grad(x: Float64Array): Float64Array;
  hvp(x: Float64Array, v: Float64Array): Float64Array;
}

/** f = Σ rᵢ², ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ rᵢ∇²rᵢ). */
function leastSquares(
  name: string,
  x0: number[],
  r: (x: Float64Array) => number[],
  jac: (x: Float64Array) => Matrix,
  rHess: (x: Float64Array) => Matrix[],
): Problem {
  const hessian = (x: Float64Array): Matrix => {
    const J = jac(x);
    const res = r(x);
    const Hs = rHess(x);
    const n = x.length;
    return Array.from({ length: n }, (_, a) =>
      Array.from({ length: n }, (_, b) =>
        2 * res.reduce((s, ri, i) => s + J[i][a] * J[i][b] + ri * Hs[i][a][b], 0),
      ),
    );
  };
  return {
    name,
    x0,
    f: (x) => r(x).reduce((s, ri) => s + ri * ri, 0),
    grad: (x) => {
      const J = jac(x);
      const res = r(x);
      return Float64Array.from(x, (_, a) => 2 * res.reduce((s, ri, i) => s + J[i][a] * ri, 0));
    },
    hvp: (x, v) => matvec(hessian(x), v),
  };
}

export const rosenbrock: Problem = {
  name: 'Rosenbrock',
  x0: [-1.2, 1],
  f: ([x1, x2]) => 100 * (x2 - x1 * x1) ** 2 + (1 - x1) ** 2,
  grad: ([x1, x2]) => Float64Array.of(-400 * x1 * (x2 - x1 * x1) - 2 * (1 - x1), 200 * (x2 - x1 * x1)),
  hvp: ([x1, x2], [v1, v2]) => {
    const h11 = 1200 * x1 * x1 - 400 * x2 + 2;
    const h12 = -400 * x1;
    return Float64Array.of(h11 * v1 + h12 * v2, h12 * v1 + 200 * v2);
  },
};

export const powellSingular: Problem = {
  name: 'Powell singular',
  x0: [3, -1, 0, 1],
  f: ([x1, x2, x3, x4]) => (x1 + 10 * x2) ** 2 + 5 * (x3 - x4) ** 2 + (x2 - 2 * x3) ** 4 + 10 * (x1 - x4) ** 4,
  grad: ([x1, x2, x3, x4]) => {
    const a = x1 + 10 * x2;
    const b = x3 - x4;
    const c = x2 - 2 * x3;
    const d = x1 - x4;
    return Float64Array.of(2 * a + 40 * d ** 3, 20 * a + 4 * c ** 3, 10 * b - 8 * c ** 3, -10 * b - 40 * d ** 3);
  },
  hvp: ([x1, x2, x3, x4], v) => {
    const c2 = (x2 - 2 * x3) ** 2;
    const d2 = (x1 - x4) ** 2;
    const H: Matrix = [
      [2 + 120 * d2, 20, 0, -120 * d2],
      [20, 200 + 12 * c2, -24 * c2, 0],
      [0, -24 * c2, 10 + 48 * c2, -10],
      [-120 * d2, 0, -10, 10 + 120 * d2],
    ];
    return matvec(H, v);
  },
};

export const wood: Problem = {
  name: 'Wood',
  x0: [-3, -1, -3, -1],
  f: ([x1, x2, x3, x4]) =>
    100 * (x1 * x1 - x2) ** 2 +
    (x1 - 1) ** 2 +
    (x3 - 1) ** 2 +
    90 * (x3 * x3 - x4) ** 2 +
    10.1 * ((x2 - 1) ** 2 + (x4 - 1) ** 2) +
    19.8 * (x2 - 1) * (x4 - 1),
  grad: ([x1, x2, x3, x4]) =>
    Float64Array.of(
      400 * x1 * (x1 * x1 - x2) + 2 * (x1 - 1),
      -200 * (x1 * x1 - x2) + 20.2 * (x2 - 1) + 19.8 * (x4 - 1),
      2 * (x3 - 1) + 360 * x3 * (x3 * x3 - x4),
      -180 * (x3 * x3 - x4) + 20.2 * (x4 - 1) + 19.8 * (x2 - 1),
    ),
  hvp: ([x1, x2, x3, x4], v) => {
    const H: Matrix = [
      [1200 * x1 * x1 - 400 * x2 + 2, -400 * x1, 0, 0],
      [-400 * x1, 220.2, 0, 19.8],
      [0, 0, 1080 * x3 * x3 - 360 * x4 + 2, -360 * x3],
      [0, 19.8, -360 * x3, 200.2],
    ];
    return matvec(H, v);
  },
};

const bealeY = [1.5, 2.25, 2.625];
export const beale: Problem = leastSquares(
  'Beale',
  [1, 1],
  ([x1, x2]) => bealeY.map((y, k) => y - x1 * (1 - x2 ** (k + 1))),
  ([x1, x2]) => bealeY.map((_, k) => [-1 + x2 ** (k + 1), (k + 1) * x1 * x2 ** k]),
  ([x1, x2]) =>
    bealeY.map((_, k) => {
      const i = k + 1;
      const cross = i * x2 ** (i - 1);
      return [
        [0, cross],
        [cross, i === 1 ? 0 : i * (i - 1) * x1 * x2 ** (i - 2)],
      ];
    }),
);

export const freudensteinRoth: Problem = leastSquares(
  'Freudenstein–Roth',
  [0.5, -2],
  ([x1, x2]) => [-13 + x1 + ((5 - x2) * x2 - 2) * x2, -29 + x1 + ((x2 + 1) * x2 - 14) * x2],
  ([, x2]) => [
    [1, 10 * x2 - 3 * x2 * x2 - 2],
    [1, 3 * x2 * x2 + 2 * x2 - 14],
  ],
  ([, x2]) => [
    [
      [0, 0],
      [0, 10 - 6 * x2],
    ],
    [
      [0, 0],
      [0, 6 * x2 + 2],
    ],
  ],
);

/** Extended Rosenbrock: n/2 independent Rosenbrock pairs; block-diagonal Hessian. */
export function extendedRosenbrock(n: number): Problem {
  return {
    name: `extended Rosenbrock n=${n}`,
    x0: Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1)),
    f: (x) => {
      let s = 0;
      for (let i = 0; i < n; i += 2) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
      return s;
    },
    grad: (x) => {
      const g = new Float64Array(n);
      for (let i = 0; i < n; i += 2) {
        const t = x[i + 1] - x[i] * x[i];
        g[i] = -400 * x[i] * t - 2 * (1 - x[i]);
        g[i + 1] = 200 * t;
      }
      return g;
    },
    hvp: (x, v) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i += 2) {
        const h11 = 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
        const h12 = -400 * x[i];
        out[i] = h11 * v[i] + h12 * v[i + 1];
        out[i + 1] = h12 * v[i] + 200 * v[i + 1];
      }
      return out;
    },
  };
}

export function oracleOf(p: Problem, counter?: { hvp: number }) {
  return (x: Float64Array) => ({
    value: p.f(x),
    grad: p.grad(x),
    apply: (v: Float64Array) => {
      if (counter) counter.hvp++;
      return p.hvp(x, v);
    },
  });
}
