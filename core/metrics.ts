// Prometheus metrics (prom-client) shared by every stage. One registry per process, so
// tests can start several Vigil instances in one process without name clashes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'vigil_process_' });
  const registers = [registry];
  return {
    registry,
    eventsReceived: new Counter({
      name: 'vigil_events_received_total',
      help: 'Events received by ingest, before validation.',
      registers,
    }),
    eventsRejected: new Counter({
      name: 'vigil_events_rejected_total',
      help: 'Events rejected, by stage and reason.',
      labelNames: ['stage', 'reason'] as const,
      registers,
    }),
    futureTimestamps: new Counter({
      name: 'vigil_future_timestamps_total',
      help: 'Events accepted with a @timestamp further ahead than VIGIL_FUTURE_TOLERANCE_SECONDS (kept, tagged vigil.future_timestamp), per unit.',
      labelNames: ['unit'] as const,
      registers,
    }),
    eventsPublished: new Counter({
      name: 'vigil_events_published_total',
      help: 'Events durable on the bus (ingest answered 202 for them).',
      registers,
    }),
    eventsProcessed: new Counter({
      name: 'vigil_events_processed_total',
      help: 'Events evaluated by detect, stored and committed.',
      registers,
    }),
    eventsDuplicate: new Counter({
      name: 'vigil_events_duplicate_total',
      help: 'Copies of an event already handled at another bus position (a retried post), skipped by detect.',
      labelNames: ['stage'],
      registers,
    }),
    alertsRaised: new Counter({
      name: 'vigil_alerts_raised_total',
      help: 'Alerts raised by detect, per rule and level.',
      labelNames: ['rule', 'level'] as const,
      registers,
    }),
    ruleEvaluationSeconds: new Histogram({
      name: 'vigil_rule_evaluation_seconds',
      help: 'Time to evaluate the whole rule set against one batch of events.',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    }),
    eventToAlertSeconds: new Histogram({
      name: 'vigil_event_to_alert_seconds',
      help: 'Time from ingest (event.ingested) to the alert being published.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    }),
    busLag: new Gauge({
      name: 'vigil_bus_lag_records',
      help: 'Records on a topic not yet committed by a consumer group.',
      labelNames: ['topic', 'group'] as const,
      registers,
    }),
    ingestPostsRefused: new Counter({
      name: 'vigil_ingest_posts_refused_total',
      help: 'Posts ingest refused before reading them, per reason (backlog: detection above VIGIL_INGEST_MAX_BACKLOG).',
      labelNames: ['reason'] as const,
      registers,
    }),
    // Heartbeats (POST /api/v1/heartbeat): passed on to the correlate stage, or answered but not.
    heartbeatsPublished: new Counter({
      name: 'vigil_heartbeats_published_total',
      help: 'Agent heartbeats ingest published to the signals topic (at most one per agent per 15 s).',
      registers,
    }),
    heartbeatsNotPublished: new Counter({
      name: 'vigil_heartbeats_not_published_total',
      help: 'Agent heartbeats ingest did not publish, per reason: interval (another of the agent\'s was published within 15 s; answered 200), rate_limited (answered 429), publish_failed (answered 503).',
      labelNames: ['reason'] as const,
      registers,
    }),
    detectionBacklogEvents: new Gauge({
      name: 'vigil_detection_backlog_events',
      help: 'Events on the events topic detect has not yet committed (as the backlog estimate reads it).',
      registers,
    }),
    detectionCatchUpSeconds: new Gauge({
      name: 'vigil_detection_catch_up_seconds',
      help: 'Estimated seconds until detect has caught up at the last minute\'s rates; -1 while the backlog is not shrinking.',
      registers,
    }),
    batchFailures: new Counter({
      name: 'vigil_batch_failures_total',
      help: 'Batches whose processing failed and will be retried, per stage.',
      labelNames: ['stage'] as const,
      registers,
    }),
    ruleFailures: new Counter({
      name: 'vigil_rule_failures_total',
      help: 'Times a rule threw while evaluating an event (the rule is skipped for that event).',
      labelNames: ['rule'] as const,
      registers,
    }),
    rulesLoaded: new Gauge({ name: 'vigil_rules_loaded', help: 'Rules compiled and active.', registers }),
    ruleErrors: new Gauge({ name: 'vigil_rule_errors', help: 'Rule files that failed to load.', registers }),
    correlationFirings: new Counter({
      name: 'vigil_correlation_firings_total',
      help: 'Times a correlation rule\'s condition held for a group.',
      labelNames: ['rule'] as const,
      registers,
    }),
    signalsSkipped: new Counter({
      name: 'vigil_signals_skipped_total',
      help: 'Signals the correlate stage skipped: already applied, replayed by detect, invalid, or of a removed rule.',
      labelNames: ['reason'] as const,
      registers,
    }),
    correlationLateSignals: new Gauge({
      name: 'vigil_correlation_late_signals',
      help: 'Signals that arrived later than the allowed lateness and were not applied, per correlation rule (since the state began).',
      labelNames: ['rule'] as const,
      registers,
    }),
    correlationGroupsRefused: new Gauge({
      name: 'vigil_correlation_groups_refused',
      help: 'New groups refused because a correlation rule hit its group cap (since the state began).',
      labelNames: ['rule'] as const,
      registers,
    }),
    correlationEntriesDropped: new Gauge({
      name: 'vigil_correlation_entries_dropped',
      help: 'Oldest window entries dropped because a group hit its entry cap (since the state began).',
      labelNames: ['rule'] as const,
      registers,
    }),
    correlationActiveGroups: new Gauge({
      name: 'vigil_correlation_active_groups',
      help: 'Correlation groups with open windows.',
      registers,
    }),
    correlationWatermark: new Gauge({
      name: 'vigil_correlation_watermark_seconds',
      help: 'Event-time watermark of the correlate stage, unix seconds.',
      registers,
    }),
    alertGroupsOpen: new Gauge({
      name: 'vigil_alert_groups_open',
      help: 'Alerts still open to repeats of their rule and group.',
      registers,
    }),
    streamClients: new Gauge({ name: 'vigil_stream_clients', help: 'Consoles connected to the alert stream.', registers }),
    // Syslog listeners (ingest/syslog/), per listener as VIGIL_SYSLOG_LISTENERS names them.
    syslogReceived: new Counter({
      name: 'vigil_syslog_received_total',
      help: 'Syslog messages received (framed), per listener.',
      labelNames: ['listener'] as const,
      registers,
    }),
    syslogDecoded: new Counter({
      name: 'vigil_syslog_decoded_total',
      help: 'Syslog messages decoded and validated into events, per listener.',
      labelNames: ['listener'] as const,
      registers,
    }),
    syslogMalformed: new Counter({
      name: 'vigil_syslog_malformed_total',
      help: 'Syslog messages refused (not syslog, bad CEF/LEEF, invalid event, too large, framing), per listener and reason.',
      labelNames: ['listener', 'reason'] as const,
      registers,
    }),
    syslogDropped: new Counter({
      name: 'vigil_syslog_dropped_total',
      help: 'Decoded syslog events not published (bus unavailable or backlog full on UDP, still waiting at shutdown), per listener and reason.',
      labelNames: ['listener', 'reason'] as const,
      registers,
    }),
    syslogConnectionsClosed: new Counter({
      name: 'vigil_syslog_connections_closed_total',
      help: 'TCP syslog connections Vigil closed because they sent what cannot be framed, per listener and reason.',
      labelNames: ['listener', 'reason'] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
