/** The messages between the example page (./main.ts) and its worker (./worker.ts). @module */
import type { Summary } from './problem.js';

/** Page → worker: train for `steps` steps, reporting every `every`. */
export interface TrainRequest {
  readonly steps: number;
  readonly rate: number;
  readonly every: number;
}

/** Worker → page: first what the worker computed at the start, then progress, then the end. */
export type WorkerMessage =
  | { readonly kind: 'ready'; readonly wasm: boolean; readonly summary: Summary }
  | { readonly kind: 'progress'; readonly step: number; readonly value: number }
  | { readonly kind: 'done'; readonly losses: number[]; readonly milliseconds: number }
  | { readonly kind: 'failed'; readonly message: string };
