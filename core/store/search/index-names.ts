// Names of everything the search store creates, all under one prefix so several Vigil
// installations (or test runs) share a cluster without touching each other's data.
// Events go to one index per UTC day of their @timestamp: a replayed event always
// lands in the index that already holds it, so `_id` stays unique and a replay stays
// idempotent (a data stream would send the replay to today's backing index and store
// it twice), and retention drops whole days.
import { BadInputError } from '../../errors.ts';

/** The same shape as VIGIL_SEARCH_INDEX_PREFIX; index names must be lowercase. */
const PREFIX = /^[a-z0-9][a-z0-9_-]{0,40}$/;

export interface IndexNames {
  prefix: string;
  /** Pattern of every events index, for reads. */
  eventsPattern: string;
  alerts: string;
  eventsTemplate: string;
  alertsTemplate: string;
  retentionPolicy: string;
  eventsIndexFor(utcIso: string): string;
}

export function indexNames(prefix: string): IndexNames {
  if (!PREFIX.test(prefix)) {
    throw new BadInputError(`search store: index prefix "${prefix}" must be lowercase letters, digits, - and _`, 'config');
  }
  return {
    prefix,
    eventsPattern: `${prefix}-events-*`,
    alerts: `${prefix}-alerts`,
    eventsTemplate: `${prefix}-events`,
    alertsTemplate: `${prefix}-alerts`,
    retentionPolicy: `${prefix}-events-retention`,
    // yyyy.MM.dd at the end is the form ILM's parse_origination_date reads back.
    eventsIndexFor: (utcIso) => `${prefix}-events-${utcIso.slice(0, 10).replaceAll('-', '.')}`,
  };
}
