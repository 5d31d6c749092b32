/**
 * One benchmark suite in its own process. Started by run.ts with `--expose-gc` and the task as JSON
 * in argv; sends its result (or its error) back over the IPC channel and exits.
 */
import type { ChildMessage, SuiteResult, Task } from './lib/protocol.js';
import { hessianSuite, newtonSuite } from './suites/hessian-newton.js';
import { headToHead } from './suites/head-to-head.js';
import { jaxCpu } from './suites/jax-cpu.js';
import { memory, memoryDeep } from './suites/memory.js';
import { cnnSuite } from './suites/cnn.js';
import { pinnSuite } from './suites/pinn.js';
import { rosenbrockSuite } from './suites/rosenbrock.js';
import { scaling } from './suites/scaling.js';
import { sparseHessianSuite } from './suites/sparse-hessian.js';
import { compileSuite } from './suites/compile.js';
import { twoLayerDualtape } from './suites/two-layer-dualtape.js';
import { twoLayerJax } from './suites/two-layer-jax.js';
import { twoLayerTfjs } from './suites/two-layer-tfjs.js';

async function runTask(task: Task): Promise<SuiteResult> {
  switch (task.suite) {
    case 'two-layer':
      switch (task.group) {
        case 'dualtape': return twoLayerDualtape(task.size, task.quick);
        case 'tfjs-cpu': return twoLayerTfjs(task.size, 'cpu', task.variants, task.quick);
        case 'tfjs-wasm': return twoLayerTfjs(task.size, 'wasm', task.variants, task.quick);
        case 'jax-js': return twoLayerJax(task.size, task.variants, task.quick);
      }
      break;
    case 'scaling': return scaling(task.quick);
    case 'memory': return 'deep' in task ? memoryDeep(task) : memory(task.size, task.method);
    case 'rosenbrock': return rosenbrockSuite(task.quick);
    case 'hessian': return hessianSuite(task.quick);
    case 'newton': return newtonSuite(task.quick);
    case 'pinn': return pinnSuite(task.quick);
    case 'cnn': return cnnSuite(task);
    case 'sparse-hessian': return sparseHessianSuite(task.quick);
    case 'compile': return compileSuite(task.quick);
    case 'jax-cpu': return jaxCpu(task);
    case 'head-to-head': return headToHead(task);
  }
  throw new Error(`unknown task ${JSON.stringify(task)}`);
}

const send = (message: ChildMessage) =>
  new Promise<void>((resolve) => {
    if (process.send) process.send(message, () => resolve());
    else {
      process.stdout.write(`${JSON.stringify(message)}\n`);
      resolve();
    }
  });

let message: ChildMessage;
try {
  message = { ok: true, result: await runTask(JSON.parse(process.argv[2]) as Task) };
} catch (e) {
  message = { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
await send(message);
// Peers may leave worker threads or timers behind; the result is delivered, so leave now.
process.exit(0);
