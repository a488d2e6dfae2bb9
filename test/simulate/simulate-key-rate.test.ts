// `vigil simulate --key --key-unit` and `--rate` against a stand-in ingest endpoint on a
// real socket: with one agent key every post carries that key and the ground truth puts
// every scenario in the key's unit (Vigil stamps every event with it), and the heartbeats
// carry that key too; with a rate the posts are paced, so sending N events takes at
// least N / rate seconds.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runSimulateCommand } from '../../bin/simulate-command.ts';
import { truthSchema } from '../../simulate/truth.ts';
import { makeTempDir } from '../support/start-vigil.ts';

interface Post {
  at: number;
  authorization: string | undefined;
  events: number;
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** An ingest endpoint that accepts every batch and heartbeat and records who sent how many events when. */
async function standInIngest(): Promise<{ url: string; posts: Post[]; heartbeats: (string | undefined)[] }> {
  const posts: Post[] = [];
  const heartbeats: (string | undefined)[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/api/v1/heartbeat') {
        heartbeats.push(req.headers.authorization);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ time: new Date().toISOString() }));
        return;
      }
      const events = gunzipSync(Buffer.concat(chunks)).toString('utf8').trim().split('\n').length;
      posts.push({ at: Date.now(), authorization: req.headers.authorization, events });
      res.writeHead(202, { 'Content-Type': 'application/json' }).end(JSON.stringify({ accepted: events, rejected: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => new Promise((resolve) => server.close(() => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts, heartbeats };
}

async function simulate(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runSimulateCommand(args, { out: () => {}, err: (text) => (err += text) });
  return { code, err };
}

describe('vigil simulate --key and --rate', () => {
  it('sends every event with the one key, and writes the truth in its unit', async () => {
    const { url, posts, heartbeats } = await standInIngest();
    const truthFile = join(makeTempDir('vigil-simulate-key-'), 'truth.json');
    const { code, err } = await simulate(['--seed', '3', '--units', '2', '--hosts', '6', '--duration', '2h', '--url', url, '--key', 'the-one-key', '--key-unit', 'so-y-te', '--truth', truthFile]);
    expect(code, err).toBe(0);
    expect(posts.length).toBeGreaterThan(0);
    expect(new Set(posts.map((post) => post.authorization))).toEqual(new Set(['Bearer the-one-key']));
    const truth = truthSchema.parse(JSON.parse(readFileSync(truthFile, 'utf8')));
    expect(truth.events).toBe(posts.reduce((sum, post) => sum + post.events, 0));
    expect(err).toContain(`${truth.events} events sent (${truth.events} accepted, 0 rejected`);
    // The one key stands for every unit: it beats after every flush, the silent unit's outage notwithstanding.
    expect(heartbeats.length).toBeGreaterThan(10);
    expect(new Set(heartbeats)).toEqual(new Set(['Bearer the-one-key']));
    expect(err).toContain(`${heartbeats.length} heartbeats, 0 missed`);
    expect(truth.scenarios.length).toBeGreaterThan(0);
    for (const scenario of truth.scenarios) expect(scenario.units, scenario.id).toEqual(['so-y-te']);
  }, 30_000);

  it('paces the posts to the rate asked for', async () => {
    const { url, posts } = await standInIngest();
    const truthFile = join(makeTempDir('vigil-simulate-rate-'), 'truth.json');
    const rate = 200;
    const began = Date.now();
    const { code, err } = await simulate(['--seed', '3', '--units', '2', '--hosts', '6', '--duration', '2h', '--url', url, '--key', 'k', '--key-unit', 'u', '--rate', String(rate), '--truth', truthFile]);
    const took = Date.now() - began;
    expect(code, err).toBe(0);
    const events = posts.reduce((sum, post) => sum + post.events, 0);
    // Enough events that pacing shows: over a second of sending at this rate.
    expect(events).toBeGreaterThan(rate);
    expect(took).toBeGreaterThanOrEqual((events / rate) * 1000 - 50);
    // No post ran ahead of the rate: by each post, at most rate × elapsed events were sent.
    let sent = 0;
    for (const post of posts) {
      sent += post.events;
      expect(sent, `after ${post.at - began} ms`).toBeLessThanOrEqual((rate * (post.at - began)) / 1000 + 50);
    }
  }, 30_000);
});
