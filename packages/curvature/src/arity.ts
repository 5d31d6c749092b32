// An argument past a function's last parameter is refused by core's noExtraArguments, as everywhere in
// dualtape, but as a CurvatureInputError: the package promises that class (or a subclass) for every bad
// argument, so `instanceof CurvatureInputError` catches this one too. Internal: not exported from the index.
import { CurvatureInputError } from './errors.js';

/** The error noExtraArguments throws for this package. */
export const extraArgumentError = (message: string): CurvatureInputError => new CurvatureInputError(message);
