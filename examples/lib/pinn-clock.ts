/**
 * The clock of the PINN schedule, kept the way benchmarks/jax/pinn.py keeps its own so that the two
 * time-to-target numbers compare: wall and CPU time from the start of training with the error checks'
 * own time taken out, and the moment the error first reaches the target. CPU time (all threads of
 * this process) sits beside wall time because on a shared machine wall time also counts the time
 * other processes held the cores.
 * @module
 */

/** Wall and CPU seconds. */
export interface Elapsed {
  readonly wall: number;
  readonly cpu: number;
}

const cpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const now = (): Elapsed => ({ wall: performance.now() / 1e3, cpu: cpuSeconds() });

/** Times training, excluding the error checks, and notes when the error first reaches `target`. */
export class TrainingClock {
  private readonly start = now();
  private excludedWall = 0;
  private excludedCpu = 0;
  /** When the error was first ≤ target, or null while it has not been. */
  reached: Elapsed | null = null;
  /** The lowest error checked so far (for the report only: nothing is chosen by it). */
  lowest = Infinity;

  constructor(private readonly error: (x: Float64Array) => number, readonly target: number) {}

  /** Time since the start, checks excluded. */
  elapsed(): Elapsed {
    const t = now();
    return { wall: t.wall - this.start.wall - this.excludedWall, cpu: t.cpu - this.start.cpu - this.excludedCpu };
  }

  /** The error at x; the time this takes is not counted. */
  check(x: Float64Array): number {
    const before = now();
    const at = this.elapsed();
    const err = this.error(x);
    if (this.reached === null && err <= this.target) this.reached = at;
    this.lowest = Math.min(this.lowest, err);
    const after = now();
    this.excludedWall += after.wall - before.wall;
    this.excludedCpu += after.cpu - before.cpu;
    return err;
  }
}
