// A TAXII 2.1 pull against a real TAXII server: medallion (the OASIS reference server,
// `pip install medallion`; .ci/run installs it) started by this test with a memory
// backend, basic auth and a page size of 2, so paging is exercised. The feed's
// collection loads into the indicator index; a second pull asks only for what was
// added since (nothing new: the index is not rebuilt); objects added to the collection
// afterwards arrive with the next pull, a revoked version removes its indicator. The
// cursors and indicators are saved in a state folder: a restarted reloader matches
// them before any pull and then receives only what was added since.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/log.ts';
import { startIntelReloader, type IntelReloader } from '../../../detect/intel/intel-reloader.ts';
import { matchIntel } from '../../../detect/intel/intel-matcher.ts';
import { loadTaxiiConfig, type TaxiiFeed } from '../../../detect/intel/taxii-config.ts';
import { TAXII_MEDIA_TYPE } from '../../../detect/intel/taxii-client.ts';
import { makeTempDir } from '../../support/start-vigil.ts';
import { securityEvent } from '../security-event-fixture.ts';

const medallionInstalled = spawnSync('python3', ['-c', 'import medallion'], { stdio: 'ignore' }).status === 0;
if (!medallionInstalled) {
  if (process.env.CI !== undefined) throw new Error('medallion is not installed: .ci/run installs it (python3 -m pip install medallion)');
  console.warn('\n*** SKIPPING the TAXII 2.1 pull test: medallion is not installed (python3 -m pip install medallion) ***\n');
}

const COLLECTION = '365fed99-08fa-fdcd-a1b3-fb247eb41d01';
const PRIVATE = '472c94ae-3113-4e3e-a4dd-a9f4ac7471d4';
const IDENTITY = 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01';
const ADDED = '2026-11-01T00:00:00.000000Z';

function indicator(id: string, pattern: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${id}`,
    created: '2026-10-30T00:00:00.000Z',
    modified: '2026-10-30T00:00:00.000Z',
    created_by_ref: IDENTITY,
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-10-30T00:00:00Z',
    ...extra,
  };
}

const OBJECTS = [
  { type: 'identity', spec_version: '2.1', id: IDENTITY, created: '2026-10-30T00:00:00.000Z', modified: '2026-10-30T00:00:00.000Z', name: 'Provincial CERT', identity_class: 'organization' },
  indicator('11111111-1111-4111-8111-111111111111', "[ipv4-addr:value = '198.18.0.10']", { confidence: 90 }),
  indicator('22222222-2222-4222-8222-222222222222', "[domain-name:value = 'phish-dvc.example']"),
  indicator('33333333-3333-4333-8333-333333333333', "[file:hashes.'SHA-256' = 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c']"),
  indicator('44444444-4444-4444-8444-444444444444', "[ipv4-addr:value = '198.18.0.0/16' AND network-traffic:dst_port = 25]"),
];

const backend = (url: string) => ({
  '/discovery': { title: 'Vigil test TAXII server', default: `${url}/vigil-intel-root/`, api_roots: [`${url}/vigil-intel-root/`] },
  'vigil-intel-root': {
    information: { title: 'Intel', versions: [TAXII_MEDIA_TYPE], max_content_length: 10_485_760 },
    status: [],
    collections: [
      {
        id: COLLECTION,
        title: 'Partner indicators',
        can_read: true,
        can_write: true,
        media_types: ['application/stix+json;version=2.1'],
        objects: OBJECTS,
        manifest: OBJECTS.map((object) => ({ id: object.id, date_added: ADDED, version: object.modified, media_type: 'application/stix+json;version=2.1' })),
      },
      { id: PRIVATE, title: 'Not for us', can_read: false, can_write: false, media_types: [], objects: [], manifest: [] },
    ],
  },
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Resolves once the server says it listens (werkzeug's "Running on" line); rejects if it exits first. */
function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Running on')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`medallion exited (${code}):\n${output}`)));
  });
}

const hits = (reloader: IntelReloader, fields: Record<string, unknown>) => matchIntel(reloader.current(), securityEvent(fields));

describe.skipIf(!medallionInstalled)('TAXII 2.1 feeds (against medallion)', () => {
  let server: ChildProcess | undefined;
  let url: string;
  let reloader: IntelReloader;
  let feeds: TaxiiFeed[];
  let stateDir: string;
  const authorization = `Basic ${Buffer.from('vigil:taxii-test-pass').toString('base64')}`;

  beforeAll(async () => {
    const dir = makeTempDir('vigil-taxii-');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    fs.writeFileSync(path.join(dir, 'data.json'), JSON.stringify(backend(url)));
    fs.writeFileSync(
      path.join(dir, 'medallion.json'),
      JSON.stringify({
        backend: { module: 'medallion.backends.memory_backend', module_class: 'MemoryBackend', filename: path.join(dir, 'data.json') },
        users: { vigil: 'taxii-test-pass' },
        taxii: { max_page_size: 2 },
      }),
    );
    server = spawn('python3', ['-c', 'import sys; from medallion.scripts.run import main; sys.exit(main())', '--host', '127.0.0.1', '--port', String(port), path.join(dir, 'medallion.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await listening(server);

    const taxiiFile = path.join(dir, 'taxii.yml');
    fs.writeFileSync(
      taxiiFile,
      `feeds:\n  - name: partner-cert\n    discovery: ${url}/taxii2/\n    username: vigil\n    password_env: TEST_TAXII_PASSWORD\n    page_size: 2\n    interval_minutes: 60\n`,
    );
    feeds = loadTaxiiConfig(taxiiFile, { TEST_TAXII_PASSWORD: 'taxii-test-pass' });
    stateDir = path.join(dir, 'taxii-state');
    reloader = startIntelReloader({ intelDir: path.join(dir, 'intel'), taxiiFeeds: feeds, taxiiStateDir: stateDir, log: createLogger('silent'), watch: false });
  });

  afterAll(() => {
    reloader?.close();
    server?.kill();
  });

  it('loads a collection through discovery, the api root and paged objects, with basic auth', async () => {
    expect(reloader.current().size).toBe(0);
    const status = await reloader.pullFeeds();
    expect(status.feeds).toEqual([
      expect.objectContaining({ name: 'partner-cert', collections: 1, indicators: 3, skipped: 1, received: OBJECTS.length, lastPull: expect.any(String) }),
    ]);
    expect(status.feeds[0]!.lastError).toBeUndefined();
    expect(status.byKind).toMatchObject({ ip: 1, domain: 1, sha256: 1 });
    expect(hits(reloader, { destination: { ip: '198.18.0.10' } })).toEqual(['intel:Provincial CERT:ip:198.18.0.10']);
    expect(hits(reloader, { dns: { question: { name: 'mail.phish-dvc.example' } } })).toEqual(['intel:Provincial CERT:domain:phish-dvc.example']);
    expect(hits(reloader, { file: { hash: { sha256: 'b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c' } } })).toHaveLength(1);
    // The AND pattern was refused, so its address alone raises nothing.
    expect(hits(reloader, { destination: { ip: '198.18.5.5', port: 25 } })).toEqual([]);
  });

  it('asks only for what was added since the last pull, and picks up new and revoked objects', async () => {
    const before = reloader.current();
    await reloader.pullFeeds();
    expect(reloader.current()).toBe(before); // nothing new: no rebuild

    const response = await fetch(`${url}/vigil-intel-root/collections/${COLLECTION}/objects/`, {
      method: 'POST',
      headers: { accept: TAXII_MEDIA_TYPE, 'content-type': TAXII_MEDIA_TYPE, authorization },
      body: JSON.stringify({
        objects: [
          indicator('55555555-5555-4555-8555-555555555555', "[url:value = 'http://198.18.0.10/stage2.ps1']", { created: '2026-11-20T00:00:00.000Z', modified: '2026-11-20T00:00:00.000Z' }),
          indicator('11111111-1111-4111-8111-111111111111', "[ipv4-addr:value = '198.18.0.10']", { modified: '2026-11-21T00:00:00.000Z', revoked: true }),
        ],
      }),
    });
    expect(response.status).toBe(202);

    const status = await reloader.pullFeeds();
    expect(reloader.current()).not.toBe(before);
    expect(status.feeds[0]).toMatchObject({ indicators: 3 });
    expect(hits(reloader, { url: { full: 'http://198.18.0.10/stage2.ps1' } })).toEqual(['intel:Provincial CERT:url:198.18.0.10/stage2.ps1']);
    expect(hits(reloader, { destination: { ip: '198.18.0.10' } })).toEqual([]);
  });

  it('after a restart matches the saved indicators at once and pulls only what was added since', async () => {
    const restarted = startIntelReloader({ intelDir: path.join(stateDir, 'no-intel'), taxiiFeeds: feeds, taxiiStateDir: stateDir, log: createLogger('silent'), watch: false });
    try {
      // Before any pull: the state file's indicators, the revocation included.
      expect(restarted.status().feeds[0]).toMatchObject({ indicators: 3 });
      expect(hits(restarted, { url: { full: 'http://198.18.0.10/stage2.ps1' } })).toEqual(['intel:Provincial CERT:url:198.18.0.10/stage2.ps1']);
      expect(hits(restarted, { dns: { question: { name: 'phish-dvc.example' } } })).toHaveLength(1);
      expect(hits(restarted, { destination: { ip: '198.18.0.10' } })).toEqual([]);

      const before = restarted.current();
      const quiet = await restarted.pullFeeds();
      expect(quiet.feeds[0]).toMatchObject({ received: 0, indicators: 3 });
      expect(quiet.feeds[0]!.lastError).toBeUndefined();
      expect(restarted.current()).toBe(before);

      const response = await fetch(`${url}/vigil-intel-root/collections/${COLLECTION}/objects/`, {
        method: 'POST',
        headers: { accept: TAXII_MEDIA_TYPE, 'content-type': TAXII_MEDIA_TYPE, authorization },
        body: JSON.stringify({ objects: [indicator('66666666-6666-4666-8666-666666666666', "[domain-name:value = 'c2-after-restart.example']", { modified: '2026-11-22T00:00:00.000Z' })] }),
      });
      expect(response.status).toBe(202);
      const next = await restarted.pullFeeds();
      expect(next.feeds[0]).toMatchObject({ received: 1, indicators: 4 });
      expect(hits(restarted, { dns: { question: { name: 'c2-after-restart.example' } } })).toEqual(['intel:Provincial CERT:domain:c2-after-restart.example']);
    } finally {
      restarted.close();
    }
  });

  it('says why a pull failed and keeps what it had', async () => {
    const dir = makeTempDir('vigil-taxii-bad-');
    const file = path.join(dir, 'taxii.yml');
    fs.writeFileSync(file, `feeds:\n  - name: wrong-password\n    discovery: ${url}/taxii2/\n    username: vigil\n    password: nope\n`);
    const failing = startIntelReloader({ intelDir: path.join(dir, 'intel'), taxiiFeeds: loadTaxiiConfig(file), log: createLogger('silent'), watch: false });
    try {
      const status = await failing.pullFeeds();
      expect(status.feeds[0]!.lastError).toMatch(/HTTP 401/);
      expect(status.loaded).toBe(0);
    } finally {
      failing.close();
    }
  });
});
