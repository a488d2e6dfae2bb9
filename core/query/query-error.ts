// How the query language reports a problem: a 400 whose message and details name the
// column (1-based) where the query went wrong, so the console can put a caret under it.
import { BadInputError } from '../errors.ts';

export function queryError(message: string, index: number): never {
  throw new BadInputError(`q: ${message}`, 'store', { param: 'q', column: index + 1 });
}
