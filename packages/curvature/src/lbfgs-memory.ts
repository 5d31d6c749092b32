/**
 * The memory of L-BFGS: the last m steps s and gradient changes y, and the two-loop recursion that
 * applies the inverse-Hessian approximation they define (Nocedal & Wright, Algorithm 7.4). Internal to
 * {@link lbfgsFlat}; not exported from the package.
 */
import { axpy, dot } from './kernels.js';

/** The last m pairs (s, y) with ρ = 1/sᵀy, oldest first, in a ring. */
export class LbfgsMemory {
  private readonly s: Float64Array[] = [];
  private readonly y: Float64Array[] = [];
  private readonly rho: number[] = [];
  private start = 0;
  /** The initial Hessian scaling γ = sᵀy / yᵀy of the newest pair (Nocedal & Wright eq. 7.20). */
  gamma: number | null = null;

  constructor(private readonly m: number) {}

  get size(): number {
    return this.s.length;
  }

  clear(): void {
    this.s.length = this.y.length = this.rho.length = 0;
    this.start = 0;
    this.gamma = null;
  }

  /** Stores (s, y) if sᵀy is safely positive; returns whether it did. */
  push(s: Float64Array, y: Float64Array): boolean {
    const sy = dot(s, y);
    const yy = dot(y, y);
    // sᵀy ≤ ε·yᵀy would make ρ huge and the update ill-conditioned (scipy uses the same test).
    if (!(sy > Number.EPSILON * yy) || !(yy > 0)) return false;
    if (this.s.length < this.m) {
      this.s.push(s);
      this.y.push(y);
      this.rho.push(1 / sy);
    } else {
      this.s[this.start] = s;
      this.y[this.start] = y;
      this.rho[this.start] = 1 / sy;
      this.start = (this.start + 1) % this.m;
    }
    this.gamma = sy / yy;
    return true;
  }

  /** d = −H·g by the two-loop recursion, with H₀ = γI. */
  direction(g: Float64Array): Float64Array {
    const k = this.s.length;
    const q = Float64Array.from(g);
    const alpha = new Float64Array(k);
    for (let j = k - 1; j >= 0; j--) {
      const i = (this.start + j) % k;
      alpha[j] = this.rho[i] * dot(this.s[i], q);
      axpy(-alpha[j], this.y[i], q);
    }
    const gamma = this.gamma ?? 1;
    for (let t = 0; t < q.length; t++) q[t] *= gamma;
    for (let j = 0; j < k; j++) {
      const i = (this.start + j) % k;
      const beta = this.rho[i] * dot(this.y[i], q);
      axpy(alpha[j] - beta, this.s[i], q);
    }
    for (let t = 0; t < q.length; t++) q[t] = -q[t];
    return q;
  }
}
