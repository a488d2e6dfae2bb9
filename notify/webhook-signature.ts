// The generic webhook's signature, for Vigil to sign and a receiver to verify:
//   X-Vigil-Signature: sha256=<hex HMAC-SHA256 of the raw request body, keyed by the channel secret>
//   X-Vigil-Timestamp: <unix seconds when sent>  (also the body's `timestamp`, so it is signed)
// A receiver computes the HMAC over the exact bytes it received, compares in constant
// time, and refuses a timestamp too far from its clock (a replayed request).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-vigil-signature';
export const TIMESTAMP_HEADER = 'x-vigil-timestamp';
export const DELIVERY_HEADER = 'x-vigil-delivery';

export function signBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface SignedRequest {
  body: string | Uint8Array;
  signature: string | undefined;
  timestamp: string | undefined;
}

/** Whether the request is signed with `secret` and was sent within `toleranceSeconds` of `nowMs`. */
export function verifyWebhookSignature(secret: string, request: SignedRequest, nowMs: number, toleranceSeconds = 300): boolean {
  if (request.signature === undefined || request.timestamp === undefined) return false;
  const expected = Buffer.from(signBody(secret, request.body));
  const given = Buffer.from(request.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return false;
  const sent = Number(request.timestamp);
  return Number.isFinite(sent) && Math.abs(nowMs / 1000 - sent) <= toleranceSeconds;
}
