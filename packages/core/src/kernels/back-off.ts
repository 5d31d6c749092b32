// Whether splitting a product across the kernel threads pays here and now. On a machine shared
// with other work a worker may get little CPU time, and then a split product is no faster than one
// thread, only later by the fork-join. Each split product a worker took part in estimates its
// speed-up (the caller's time per chunk, times the chunks, over the wall time); when the running
// average falls under 1.1, 'auto' runs the next BACK_OFF large products on one thread, then tries
// splitting again.

/** Large products kept on one thread after splitting stopped paying. */
export const BACK_OFF = 64;
/** The running average under which splitting stops, and where it starts again after a back-off. */
const STOP_UNDER = 1.1;
const RESTART_AT = 1.3;

export class SplitBackOff {
  private speedup = 2;
  private skip = 0;

  /**
   * Notes one split product: the caller computed `mine` of its `chunks` in `callerMs`, and the whole
   * took `wallMs`. A product whose chunks the caller computed alone says nothing about how well
   * splitting pays (the worker was still waking up, or descheduled before it claimed one): the
   * caller waited for nothing and lost nothing, so it is not counted.
   */
  record(mine: number, chunks: number, callerMs: number, wallMs: number): void {
    if (mine <= 0 || mine >= chunks || !(wallMs > 0)) return;
    this.speedup = 0.75 * this.speedup + 0.25 * ((callerMs / mine) * chunks) / wallMs;
    if (this.speedup < STOP_UNDER) {
      this.skip = BACK_OFF;
      this.speedup = RESTART_AT;
    }
  }

  /** Whether 'auto' should split its next large product (false while backing off). */
  worthSplitting(): boolean {
    if (this.skip > 0) {
      this.skip--;
      return false;
    }
    return true;
  }

  /** Forgets the estimate and any back-off. */
  reset(): void {
    this.speedup = 2;
    this.skip = 0;
  }
}
