// Neural-network ops: convolution, pooling, softmax and log-softmax over any axis.
import type { Table } from './cases.js';

export const table: Table = {};
