// Event time as agents send it: an ISO 8601 string with a zone, or epoch milliseconds.
// Always normalised to an ISO string in UTC so the stores can compare them as text.
import { z } from 'zod';

export const isoTimestamp = z.union([
  z.iso.datetime({ offset: true }),
  z.number().int().nonnegative().max(8_640_000_000_000_000),
]).transform((value) => new Date(value).toISOString());
