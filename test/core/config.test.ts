// Configuration: defaults a newcomer gets, and one error that lists every problem.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.ts';

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(8080);
    expect(config.dataDir).toMatch(/data$/);
    expect(config.maxBodyBytes).toBe(10 * 1024 * 1024);
    expect(config.adminPassword).toBeUndefined();
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ VIGIL_PORT: 'eighty', VIGIL_ADMIN_PASSWORD: 'short', VIGIL_BOOTSTRAP_UNIT: 'Bad Unit!' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/VIGIL_PORT/);
    expect(problems).toMatch(/VIGIL_ADMIN_PASSWORD: must be at least 8/);
    expect(problems).toMatch(/VIGIL_BOOTSTRAP_UNIT/);
  });

  it('gives correlation the documented defaults, in milliseconds, and takes overrides', () => {
    expect(loadConfig({}).correlation).toEqual({
      allowedLatenessMs: 15 * 60_000,
      maxGroupsPerRule: 200_000,
      maxEntriesPerGroup: 10_000,
      alertGroupWindowMs: 60 * 60_000,
      silentAgentMs: 120 * 60_000,
      silentUnitMs: 30 * 60_000,
      utcOffsetMinutes: 420,
      idleAdvance: true,
    });
    const tuned = loadConfig({ VIGIL_CORRELATION_LATENESS_SECONDS: '30', VIGIL_ALERT_GROUP_MINUTES: '5', VIGIL_IDLE_ADVANCE: 'false' });
    expect(tuned.correlation).toMatchObject({ allowedLatenessMs: 30_000, alertGroupWindowMs: 5 * 60_000, idleAdvance: false });
    expect(() => loadConfig({ VIGIL_CORRELATION_MAX_GROUPS: '0', VIGIL_UTC_OFFSET_MINUTES: '9999' })).toThrow(
      /VIGIL_CORRELATION_MAX_GROUPS[\s\S]*VIGIL_UTC_OFFSET_MINUTES/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ VIGIL_ADMIN_PASSWORD: '' }).adminPassword).toBeUndefined();
  });

  it('refuses the Kafka bus without brokers and a search store without nodes, naming each problem', () => {
    let error: unknown;
    try {
      loadConfig({ VIGIL_BUS: 'kafka', VIGIL_STORE: 'elasticsearch', VIGIL_KAFKA_BROKERS: ' , ' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'VIGIL_KAFKA_BROKERS: required when VIGIL_BUS=kafka (host:port, comma-separated)',
      'VIGIL_SEARCH_URL: required when VIGIL_STORE=elasticsearch (http(s)://host:port, comma-separated)',
    ]);
    expect((error as ConfigError).message).toMatch(/^invalid configuration:\n {2}VIGIL_KAFKA_BROKERS: required/);
  });

  it('reads the distributed settings: brokers and nodes as lists, partitions per topic', () => {
    const config = loadConfig({
      VIGIL_BUS: 'kafka',
      VIGIL_KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
      VIGIL_STORE: 'opensearch',
      VIGIL_SEARCH_URL: 'https://search:9200',
      VIGIL_SIGNALS_PARTITIONS: '12',
    });
    expect(config.kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.search.nodes).toEqual(['https://search:9200']);
    expect(config.partitions).toEqual({ events: 6, signals: 12, alerts: 1 });
    expect(() => loadConfig({ VIGIL_STORE: 'opensearch', VIGIL_SEARCH_URL: 'search:9200' })).toThrow(/VIGIL_SEARCH_URL: "search:9200" is not an http\(s\) URL/);
  });

  it('gives the embedded bus one partition per topic unless told otherwise: one thread reads them all', () => {
    expect(loadConfig({}).partitions).toEqual({ events: 1, signals: 1, alerts: 1 });
    expect(loadConfig({ VIGIL_EVENTS_PARTITIONS: '4' }).partitions).toEqual({ events: 4, signals: 1, alerts: 1 });
    expect(loadConfig({ VIGIL_BUS: 'kafka', VIGIL_KAFKA_BROKERS: 'k:9092' }).partitions).toEqual({ events: 6, signals: 6, alerts: 1 });
  });
});
