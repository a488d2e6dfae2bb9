// A setting that names an adapter this build does not have is refused at start as a
// configuration problem naming the setting, not as a crash on first use.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/config.ts';
import { loadAdapter } from '../../../core/adapters/load-adapter.ts';
import { vigilTopics } from '../../../core/adapters/vigil-topics.ts';
import { TOPICS } from '../../../core/ports/bus.ts';

describe('loadAdapter', () => {
  it('refuses a missing adapter module with the setting that chose it', async () => {
    const loading = loadAdapter('bus/no-such-bus.ts', 'openNoSuchBus', 'VIGIL_BUS=nosuch');
    await expect(loading).rejects.toBeInstanceOf(ConfigError);
    await expect(loading).rejects.toThrow(/VIGIL_BUS=nosuch: this build has no bus\/no-such-bus\.ts/);
  });

  it('refuses a module that lacks the function', async () => {
    await expect(loadAdapter('ports/bus.ts', 'openBus', 'VIGIL_BUS=x')).rejects.toThrow(/does not export openBus\(\)/);
  });

  it('answers the exported function', async () => {
    const open = await loadAdapter<(options: { dataDir: string }) => unknown>('bus/embedded-bus.ts', 'openEmbeddedBus', 'VIGIL_BUS=embedded');
    expect(typeof open).toBe('function');
  });
});

describe('vigilTopics', () => {
  it('gives checkpoints one partition per signals partition, compacted, and health one compacted partition', () => {
    const topics = vigilTopics({ events: 8, signals: 4, alerts: 2 });
    expect(topics).toEqual([
      { name: TOPICS.events, partitions: 8 },
      { name: TOPICS.signals, partitions: 4 },
      { name: TOPICS.alerts, partitions: 2 },
      { name: TOPICS.correlateState, partitions: 4, compacted: true },
      { name: TOPICS.health, partitions: 1, compacted: true },
    ]);
  });

  it('gives events, signals and alerts the bus retention, never the compacted topics', () => {
    const topics = vigilTopics({ events: 1, signals: 1, alerts: 1 }, 3_600_000);
    expect(topics.filter((topic) => topic.retentionMs === 3_600_000).map((topic) => topic.name)).toEqual([TOPICS.events, TOPICS.signals, TOPICS.alerts]);
    expect(topics.filter((topic) => topic.compacted).every((topic) => topic.retentionMs === undefined)).toBe(true);
  });
});
