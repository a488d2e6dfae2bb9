// Keyset paging tokens: the sort key of the last item on a page, handed to the caller
// as opaque base64url text and checked on the way back in. Keyset (not offset) paging
// keeps deep pages as cheap as the first and never repeats or skips an item when new
// events arrive between requests.
import { BadInputError } from '../errors.ts';

/** Sort time (UTC ISO) and id of the last item on a page. */
export interface PageKey {
  ts: string;
  id: string;
}

export function encodePageToken(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.ts, key.id]), 'utf8').toString('base64url');
}

export function decodePageToken(token: string): PageKey {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    typeof decoded[0] !== 'string' ||
    typeof decoded[1] !== 'string'
  ) {
    throw new BadInputError('cursor: not a paging token from this search', 'store', { param: 'cursor' });
  }
  return { ts: decoded[0], id: decoded[1] };
}
