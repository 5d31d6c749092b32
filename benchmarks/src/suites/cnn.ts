/** The CNN suite's entry: one group per child process (see lib/cnn-protocol.ts). */
import type { CnnResult, CnnTask } from '../lib/cnn-protocol.js';
import { cnnDualtape } from './cnn-dualtape.js';
import { cnnJax } from './cnn-jax.js';
import { cnnTfjs } from './cnn-tfjs.js';

export async function cnnSuite(task: CnnTask): Promise<CnnResult> {
  switch (task.group) {
    case 'dualtape': return cnnDualtape(task.quick);
    case 'tfjs-wasm': return cnnTfjs(task.quick);
    case 'jax-js': return cnnJax(task.quick);
  }
}
