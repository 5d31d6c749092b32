/**
 * The CNN suite's task and result (wired into protocol.ts's unions): a small convolutional network's
 * gradAndHvp against TensorFlow.js (wasm) and jax-js on the same model, data, point and direction.
 */
import type { MethodResult } from './protocol.js';

/** Who runs in one child process: dualtape itself, or one peer (with dualtape as its timing baseline). */
export type CnnGroup = 'dualtape' | 'tfjs-wasm' | 'jax-js';
export const CNN_GROUPS: readonly CnnGroup[] = ['dualtape', 'tfjs-wasm', 'jax-js'];

export interface CnnTask {
  readonly suite: 'cnn';
  readonly group: CnnGroup;
  readonly quick: boolean;
}

export interface CnnResult {
  readonly suite: 'cnn';
  readonly group: CnnGroup;
  /** Images per batch and parameters. */
  readonly N: number;
  readonly W: number;
  /** dualtape's gradAndHvp timed in this child around every method (ms, in order). */
  readonly baselineTimings: number[];
  /** max |H·v − central differences of ∇f along v| / max |H·v| of the reference (dualtape's H·v). */
  readonly referenceFdErr: number;
  /** Rows: `xHand` is ms / dualtape gradAndHvp's ms timed right before and after (`handMs`). */
  readonly methods: MethodResult[];
  readonly notes: string[];
}
