// Naming one matrix of a stack in an error message: its multi-index in the batch shape.
import { formatShape, type Shape } from '../../shape.js';

/** The multi-index of flat batch position b in a batch shape. */
export function batchIndex(b: number, batch: Shape): number[] {
  const index = new Array<number>(batch.length);
  for (let k = batch.length - 1; k >= 0; k--) {
    index[k] = b % batch[k];
    b = Math.floor(b / batch[k]);
  }
  return index;
}

/** ' (matrix [i, j] of the stack)' for a stack, '' for a single matrix. */
export function whichMatrix(b: number, batch: Shape): string {
  return batch.length > 0 ? ` (matrix ${formatShape(batchIndex(b, batch))} of the stack)` : '';
}
