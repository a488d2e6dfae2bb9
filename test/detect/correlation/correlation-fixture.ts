// Hand-built correlation rules, signals and expected firings for the engine tests, so
// each test states only what it is about: defaults give one unit, one host and event
// ids that name their rule and time ("A@60000").
import type {
  CompiledCorrelation,
  CorrelationFiring,
  CorrelationSignal,
  EngineLimits,
} from '../../../detect/correlation/contract.ts';

export const unit = { id: 'unit-042', name: 'Sở Y tế' };
export const host = { id: 'host-0001', name: 'yte-pc-017' };

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export type CorrelationSpec = Pick<CompiledCorrelation, 'id' | 'type' | 'rules' | 'timespanMs'> &
  Partial<CompiledCorrelation>;

export function correlation(spec: CorrelationSpec): CompiledCorrelation {
  return {
    kind: 'correlation',
    name: undefined,
    title: spec.id,
    level: 'high',
    status: undefined,
    description: undefined,
    tags: [],
    falsepositives: [],
    location: { file: `${spec.id}.yml`, line: 1, col: 1 },
    groupBy: [],
    fields: {},
    condition: undefined,
    generate: false,
    ...spec,
  };
}

export function limits(overrides: Partial<EngineLimits> = {}): EngineLimits {
  return { allowedLatenessMs: 0, maxGroupsPerRule: 1000, maxEntriesPerGroup: 1000, sampleSize: 100, ...overrides };
}

export interface SignalOptions {
  readonly group?: Record<string, string>;
  readonly value?: string | number;
  readonly eventId?: string;
  readonly organization?: { id: string; name: string };
  readonly host?: { id?: string; name?: string };
}

export function signal(correlationId: string, rule: string, time: number, options: SignalOptions = {}): CorrelationSignal {
  return {
    correlation: correlationId,
    rule,
    time,
    eventId: options.eventId ?? `${rule}@${time}`,
    group: options.group ?? {},
    ...(options.value === undefined ? {} : { value: options.value }),
    organization: options.organization ?? unit,
    host: options.host ?? host,
  };
}

export type ExpectedFiring = Pick<CorrelationFiring, 'correlation' | 'windowStart' | 'time' | 'count' | 'value' | 'eventIds'> &
  Partial<CorrelationFiring>;

/** A full firing: first/last seen default to the window start and the firing time (right for early firings). */
export function firing(expected: ExpectedFiring): CorrelationFiring {
  return {
    group: {},
    firstSeen: expected.windowStart,
    lastSeen: expected.time,
    organization: unit,
    host,
    ...expected,
  };
}
