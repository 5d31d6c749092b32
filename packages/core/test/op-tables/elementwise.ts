// Elementwise functions beyond the core set: trigonometric, hyperbolic, special functions, activations.
import type { Table } from './cases.js';

export const table: Table = {};
