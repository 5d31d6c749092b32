// Derivatives checked against closed forms computed by hand, independently of the engine.
import { describe, expect, it } from 'vitest';
import { gradAndHvp, hessian, hvp, tensor, valueAndGrad, type Scalar, type Tensor } from '../src/index.js';

/** Extended Rosenbrock written with scalar ops: Σᵢ 100(xᵢ₊₁ − xᵢ²)² + (1 − xᵢ)². */
function rosenbrockScalar(x: Tensor): Scalar {
  const xs = Array.from({ length: x.size }, (_, i) => x.at(i));
  let f: Scalar | number = 0;
  for (let i = 0; i + 1 < xs.length; i++) {
    const a = xs[i + 1].sub(xs[i].square()).square().mul(100);
    const b = xs[i].neg().add(1).square();
    f = a.add(b).add(f);
  }
  return f as Scalar;
}

/** The same function with tensor ops (slices instead of scalars). */
function rosenbrockTensor(x: Tensor): Scalar {
  const n = x.size;
  const head = x.slice(0, n - 1);
  const tail = x.slice(1, n);
  return tail.sub(head.square()).square().mul(100).add(head.neg().add(1).square()).sum();
}

/** The Rosenbrock Hessian from its formula: tridiagonal. */
function rosenbrockHessianByHand(x: number[]): number[][] {
  const n = x.length;
  const H = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i + 1 < n; i++) {
    H[i][i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
    H[i + 1][i + 1] += 200;
    H[i][i + 1] += -400 * x[i];
    H[i + 1][i] += -400 * x[i];
  }
  return H;
}

describe('Rosenbrock', () => {
  const x4 = [0, 0.1, 0.2, 0.3];
  const expected4 = [
    [-38, 0, 0, 0],
    [0, 134, -40, 0],
    [0, -40, 130, -80],
    [0, 0, -80, 200],
  ];

  for (const [name, f] of [['scalar ops', rosenbrockScalar], ['tensor ops', rosenbrockTensor]] as const) {
    it(`Hessian at 0.1·(0,1,2,3) matches the stated closed form (${name})`, () => {
      const H = hessian(f, x4);
      expected4.flat().forEach((h, k) => expect(H[k]).toBeCloseTo(h, 10));
    });

    it(`H·v at 0.1·(0..8), v = 0.5·(0..8) matches the stated values (${name})`, () => {
      const x = Array.from({ length: 9 }, (_, i) => 0.1 * i);
      const v = Array.from({ length: 9 }, (_, i) => 0.5 * i);
      const Hv = hvp(f, x, v);
      [0, 27, -10, -95, -192, -265, -278, -195, -180].forEach((h, k) => expect(Hv[k]).toBeCloseTo(h, 9));
    });

    it(`Hessian agrees with the hand-derived formula at a random point (${name})`, () => {
      const x = [0.7, -1.3, 0.4, 2.1, -0.6];
      const H = hessian(f, x);
      const byHand = rosenbrockHessianByHand(x).flat();
      byHand.forEach((h, k) => expect(H[k]).toBeCloseTo(h, 9));
    });
  }
});

describe('least squares f = ½‖Xw − y‖²', () => {
  const X = [1, 2, 3, 4, 5, 6];
  const y = [1, 2];
  const f = (w: Tensor) => {
    const r = tensor(X, [2, 3]).matmul(w).sub(tensor(y));
    return r.square().sum().mul(0.5);
  };

  it('value, gradient Xᵀ(Xw − y) and H·v = XᵀX·v match the stated numbers', () => {
    const { value, grad, hvp: Hv } = gradAndHvp(f, [1, 2, 3], [1, 2, 3]);
    expect(value).toBe(534.5);
    expect(Array.from(grad)).toEqual([133, 176, 219]);
    expect(Array.from(Hv)).toEqual([142, 188, 234]);
  });

  it('valueAndGrad agrees', () => {
    const { value, grad } = valueAndGrad(f)([1, 2, 3]);
    expect(value).toBe(534.5);
    expect(Array.from(grad)).toEqual([133, 176, 219]);
  });
});

describe('second-order terms through nonlinear units (the term TensorFlow.js drops)', () => {
  it('d²/dx² tanh(x) = −2 tanh x (1 − tanh² x)', () => {
    for (const x of [-2, -0.3, 0, 0.8, 3]) {
      const t = Math.tanh(x);
      expect(hvp((s: Scalar) => s.tanh(), x, 1)).toBeCloseTo(-2 * t * (1 - t * t), 14);
    }
  });

  it('d²/dx² σ(x) = σ(1 − σ)(1 − 2σ), and d²/dx² eˣ = eˣ', () => {
    for (const x of [-4, -0.5, 0.25, 2]) {
      const s = 1 / (1 + Math.exp(-x));
      expect(hvp((z: Scalar) => z.sigmoid(), x, 1)).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 14);
      expect(hvp((z: Scalar) => z.exp(), x, 1)).toBeCloseTo(Math.exp(x), 12);
    }
  });

  it('tanh composed with a product: d²/dw² tanh(w·x)·c with tensors', () => {
    // g(w) = c·tanh(w x) ⇒ g'' = c·x²·(−2 t (1 − t²)), t = tanh(w x)
    const x = 0.7, c = 1.9, w = 0.4;
    const t = Math.tanh(w * x);
    const Hv = hvp((p: Tensor) => p.mul(x).tanh().mul(c).sum(), [w], [1]);
    expect(Hv[0]).toBeCloseTo(c * x * x * (-2 * t * (1 - t * t)), 14);
  });
});
