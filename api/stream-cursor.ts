// The cursor a console keeps for the alert stream: the bus positions it has seen,
// encoded as an opaque base64url token so it can grow to several partitions unchanged.
import { z } from 'zod';
import { BadInputError } from '../core/errors.ts';
import type { Positions } from '../core/ports/bus.ts';

const positionsSchema = z.record(z.string().regex(/^\d+$/), z.number().int().min(-1));

export function encodeCursor(positions: Positions): string {
  return Buffer.from(JSON.stringify(positions)).toString('base64url');
}

export function decodeCursor(cursor: string): Positions {
  try {
    const parsed = positionsSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return Object.fromEntries(Object.entries(parsed).map(([partition, offset]) => [Number(partition), offset]));
  } catch {
    throw new BadInputError('cursor is not one this server issued', 'api');
  }
}
