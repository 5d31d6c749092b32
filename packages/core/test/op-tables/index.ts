// The op tables, one file per family of ops (see cases.ts for the shape of an entry).
import { table as core } from './core.js';
import { table as elementwise } from './elementwise.js';
import { table as reductions } from './reductions.js';
import { table as shapes } from './shapes.js';
import { table as products } from './products.js';
import { table as nn } from './nn.js';
import { table as linalg } from './linalg.js';

export const families = { core, elementwise, reductions, shapes, products, nn, linalg };
