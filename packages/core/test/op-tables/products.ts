// Products: batched matmul, tensordot, einsum, outer.
import type { Table } from './cases.js';

export const table: Table = {};
