// Shape and indexing ops: permutations, squeeze/expand, flips, rolls, tiling, padding, gather and scatter.
import type { Table } from './cases.js';

export const table: Table = {};
