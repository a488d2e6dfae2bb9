// zod at the API's edge: parses a request part and turns a failure into a 400 that
// names the parameter and what is wrong with it.
import type { z } from 'zod';
import { BadInputError } from '../core/errors.ts';
import { describeIssues } from '../core/schemas/describe-issues.ts';

export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, part: 'query' | 'body' | 'params'): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new BadInputError(`invalid ${part}: ${describeIssues(parsed.error)}`, 'api');
  return parsed.data;
}
