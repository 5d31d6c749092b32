/**
 * Runs the user's code in a Web Worker (./worker.ts) with a time limit. The page stays responsive
 * whatever `f` does; a run past the limit, or stopped by the user, ends by terminating the worker
 * (the only way to interrupt synchronous JavaScript), and the next run starts a fresh one.
 * @module
 */
import { PlaygroundError, type Evaluation } from './evaluate.js';
import type { EvaluateRequest, EvaluateResponse } from './worker-protocol.js';

/** How long `f` (trace plus the finite-difference check) may run before it is stopped. */
export const TIME_LIMIT_MS = 5000;

/** A run that did not finish: past the time limit, stopped by the user, or replaced by a newer run. */
export class RunStopped extends Error {
  constructor(readonly reason: 'time-limit' | 'stopped' | 'replaced', message: string) {
    super(message);
    this.name = 'RunStopped';
  }
}

interface Pending {
  readonly id: number;
  readonly resolve: (evaluation: Evaluation) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class UserCodeRunner {
  private worker: Worker | null = null;
  private pending: Pending | null = null;
  private lastId = 0;

  /** `createWorker` makes a new worker running ./worker.ts (the page knows where its bundle is). */
  constructor(private readonly createWorker: () => Worker, readonly timeLimitMs = TIME_LIMIT_MS) {}

  /** Whether a run is in progress. */
  get running(): boolean {
    return this.pending !== null;
  }

  /**
   * Evaluates the three boxes in the worker. Rejects with a {@link PlaygroundError} for bad input or
   * an `f` that throws, and with {@link RunStopped} when the run is cut short.
   */
  run(source: string, x: string, v: string): Promise<Evaluation> {
    if (this.pending) this.end(new RunStopped('replaced', 'replaced by a newer run'));
    const worker = (this.worker ??= this.spawn());
    const id = ++this.lastId;
    return new Promise<Evaluation>((resolve, reject) => {
      const seconds = this.timeLimitMs / 1000;
      const timer = setTimeout(() => this.end(new RunStopped('time-limit',
        `f was still running after ${seconds} s and was stopped — an endless loop? Every run has ${seconds} s.`)), this.timeLimitMs);
      this.pending = { id, resolve, reject, timer };
      worker.postMessage({ id, source, x, v } satisfies EvaluateRequest);
    });
  }

  /** Stops the run in progress, if any. */
  stop(): void {
    if (this.pending) this.end(new RunStopped('stopped', 'Stopped: f was still running.'));
  }

  private spawn(): Worker {
    const worker = this.createWorker();
    worker.onmessage = ({ data }: MessageEvent<EvaluateResponse>) => {
      const pending = this.pending;
      if (!pending || data.id !== pending.id) return; // the answer to a run that was given up
      this.pending = null;
      clearTimeout(pending.timer);
      if (data.ok) pending.resolve(data.evaluation);
      else pending.reject(new PlaygroundError(data.where, data.message));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.end(new Error(`the worker that runs f failed: ${event.message || 'it could not be loaded'}`));
    };
    return worker;
  }

  /** Rejects the pending run and terminates its worker: it may be stuck inside f. */
  private end(error: Error): void {
    const pending = this.pending;
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.reject(error);
  }
}
