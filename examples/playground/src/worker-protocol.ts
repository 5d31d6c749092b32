/**
 * The messages between the page and the Web Worker that runs the user's code (./worker.ts). Only
 * structured-clonable data crosses: a {@link Trace} is plain objects, numbers and Float64Arrays.
 * @module
 */
import type { Evaluation, PlaygroundError } from './evaluate.js';

/** Page → worker: evaluate these three boxes. `id` pairs the answer with its request. */
export interface EvaluateRequest {
  readonly id: number;
  readonly source: string;
  readonly x: string;
  readonly v: string;
}

/** Worker → page: the evaluation, or the error to show and which box it came from. */
export type EvaluateResponse =
  | { readonly id: number; readonly ok: true; readonly evaluation: Evaluation }
  | { readonly id: number; readonly ok: false; readonly where: PlaygroundError['where']; readonly message: string };
