// Reductions over axes: max, min, prod, variance, std, norm, cumulative sums and products, arg-reductions.
import type { Table } from './cases.js';

export const table: Table = {};
