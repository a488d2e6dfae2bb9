// The errors only ingest answers with, beyond the shared ones in core/errors.ts. Each
// names the setting behind the limit, so an agent author knows what was hit and an
// operator knows what to change.
import { VigilError } from '../core/errors.ts';

export class UnsupportedMediaError extends VigilError {
  constructor(message: string) {
    super('unsupported_media_type', message, 'ingest', 415);
  }
}

export class BodyTooLargeError extends VigilError {
  constructor(limit: number) {
    super(
      'body_too_large',
      `body is larger than the limit of ${limit} bytes after decompression (VIGIL_MAX_BODY_BYTES); nothing was accepted: send smaller posts`,
      'ingest',
      413,
      { limit, setting: 'VIGIL_MAX_BODY_BYTES' },
    );
  }
}

/**
 * A post with more events than allowed is refused whole rather than cut: an agent that
 * batches splits the batch and resends it, which is simpler (and safer) than working
 * out which lines past the cut to send again.
 */
export class TooManyEventsError extends VigilError {
  constructor(limit: number, setting: 'VIGIL_MAX_EVENTS_PER_POST' | 'VIGIL_AGENT_RATE_BURST') {
    super(
      'too_many_events',
      `body holds more than ${limit} events, the most one post may carry (${setting}); nothing was accepted: send them in smaller posts`,
      'ingest',
      413,
      { limit, setting },
    );
  }
}
