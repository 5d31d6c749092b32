// Linear algebra: solve, cholesky, triangularSolve, inv, det, logDet, slogdet.
import type { Table } from './cases.js';

export const table: Table = {};
