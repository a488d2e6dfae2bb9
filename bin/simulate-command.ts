// `vigil simulate …` and `vigil simulate score …`: wiring only. Parses the arguments,
// builds the simulation (simulate/), sends it to Vigil's ingest API or to NDJSON files,
// writes the ground truth; `score` reads Vigil's alerts back and prints how the
// injected scenarios fared. Exit codes: 0 done (score: every scenario detected), 1 a
// scenario missed or Vigil failing, 2 a usage error.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { VigilError } from '../core/errors.ts';
import { runSimulation } from '../simulate/run.ts';
import { formatScore, scoreRun } from '../simulate/score.ts';
import { fileSink, ingestSink, type KeyFor, type Sink } from '../simulate/sinks.ts';
import { simulation } from '../simulate/timeline.ts';
import { truthSchema } from '../simulate/truth.ts';
import { agentKeyFor, allAlerts, clocksAhead, correlationWatermark, signIn } from '../simulate/vigil-api.ts';
import type { CliOutput } from './cli-output.ts';

export const SIMULATE_USAGE = `vigil simulate [--seed N] [--scale F] [--start ISO] [--duration 1d|6h|30m]
                 (--out <dir> | --url <vigil> (--key <agent key> --key-unit <unit> | --admin-user <u> --admin-password <p>))
                 [--rate <events/s>] [--truth <file>]
  vigil simulate score --truth <file> --url <vigil> --user <u> --password <p>`;

const durationSchema = z.string().regex(/^\d+(\.\d+)?[dhm]$/, 'a duration such as 1d, 6h or 30m');
const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

const runOptionsSchema = z
  .object({
    seed: z.coerce.number().int().default(1),
    scale: z.coerce.number().positive().max(10).default(1),
    units: z.coerce.number().int().positive().optional(),
    hosts: z.coerce.number().int().positive().optional(),
    start: z.iso.datetime({ offset: true }).optional(),
    duration: durationSchema.default('1d'),
    url: z.url().optional(),
    key: z.string().min(1).optional(),
    'key-unit': z.string().min(1).optional(),
    'admin-user': z.string().min(1).optional(),
    'admin-password': z.string().min(1).optional(),
    rate: z.coerce.number().positive().optional(),
    out: z.string().min(1).optional(),
    truth: z.string().min(1).default('simulate-truth.json'),
  })
  .refine((o) => (o.out === undefined) !== (o.url === undefined), { message: 'give either --out <dir> or --url <vigil>' })
  .refine((o) => o.url === undefined || (o.key !== undefined && o['key-unit'] !== undefined) || (o['admin-user'] !== undefined && o['admin-password'] !== undefined), {
    message: '--url needs --key and --key-unit, or --admin-user and --admin-password',
  });

const scoreOptionsSchema = z.object({ truth: z.string().min(1), url: z.url(), user: z.string().min(1), password: z.string().min(1) });

function durationMs(text: string): number {
  return Number(text.slice(0, -1)) * UNIT_MS[text.at(-1) as keyof typeof UNIT_MS];
}

function options(args: readonly string[], names: readonly string[]): Record<string, string> | string {
  try {
    const { values } = parseArgs({ args: [...args], options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])), strict: true, allowPositionals: false });
    return values as Record<string, string>;
  } catch (error) {
    return (error as Error).message;
  }
}

function problem(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? `--${issue.path.join('.')}: ` : ''}${issue.message}`).join('; ');
}

export async function runSimulateCommand(args: readonly string[], io: CliOutput): Promise<number> {
  try {
    return args[0] === 'score' ? await score(args.slice(1), io) : await simulate(args, io);
  } catch (error) {
    if (!(error instanceof VigilError)) throw error;
    io.err(`vigil simulate: ${error.message}\n`);
    return 1;
  }
}

async function simulate(args: readonly string[], io: CliOutput): Promise<number> {
  const raw = options(args, Object.keys(runOptionsSchema.shape));
  const parsed = typeof raw === 'string' ? undefined : runOptionsSchema.safeParse(raw);
  if (parsed === undefined || !parsed.success) {
    io.err(`vigil simulate: ${typeof raw === 'string' ? raw : problem(parsed!.error)}\nusage: ${SIMULATE_USAGE}\n`);
    return 2;
  }
  const o = parsed.data;
  const length = durationMs(o.duration);
  // Vigil refuses to let the future move event time: simulate the past, up to now.
  const now = Date.now();
  const start = o.start === undefined ? now - length : Date.parse(o.start);
  if (start + length > now) {
    io.err(`vigil simulate: the simulated window must end by now (${new Date(now).toISOString()}); move --start back or shorten --duration\n`);
    return 2;
  }
  const sim = simulation({ seed: o.seed, scale: o.scale, start, end: start + length, ...(o.units === undefined ? {} : { units: o.units }), ...(o.hosts === undefined ? {} : { hosts: o.hosts }) });
  io.err(`vigil simulate: ${sim.province.units.length} units, ${sim.province.hostCount} hosts, ${new Date(start).toISOString()} + ${o.duration}, ${sim.injection.scenarios.length} scenarios\n`);
  for (const skipped of sim.injection.skipped) io.err(`vigil simulate: not injected: ${skipped.kind} (${skipped.reason})\n`);

  if (o.url !== undefined && o.rate === undefined) {
    io.err('vigil simulate: replaying the past as fast as possible: run Vigil with VIGIL_IDLE_ADVANCE=false, or its idle timer moves event time to the clock between batches and correlations see the replayed events as late\n');
  }
  let sink: Sink;
  if (o.out !== undefined) sink = fileSink(o.out);
  else if (o.key !== undefined) sink = ingestSink(o.url!, () => o.key!, o.rate);
  else {
    const session = await signIn(o.url!, o['admin-user']!, o['admin-password']!);
    const keys = new Map<string, string>();
    const wrongClockUnits = new Set(sim.injection.scenarios.flatMap((s) => s.events.filter((e) => e.agent === 'wrong-clock').map((e) => e.unit)));
    for (const unit of sim.province.units) {
      keys.set(`${unit.id}|main`, await agentKeyFor(session, unit, 'Simulated antivirus console and sensors'));
      if (wrongClockUnits.has(unit.id)) keys.set(`${unit.id}|wrong-clock`, await agentKeyFor(session, unit, 'Simulated agent with a wrong clock'));
    }
    io.err(`vigil simulate: ${keys.size} agent keys created\n`);
    const keyFor: KeyFor = (unit, agent) => keys.get(`${unit}|${agent}`)!;
    sink = ingestSink(o.url!, keyFor, o.rate, () => correlationWatermark(session));
  }

  const count = await runSimulation(sim, sink, (progress) => {
    const rate = progress.elapsedMs > 0 ? Math.round((progress.events / progress.elapsedMs) * 1000) : 0;
    const at = Number.isNaN(progress.simulatedTime) ? 'the end' : new Date(progress.simulatedTime).toISOString();
    io.err(`vigil simulate: up to ${at}: ${progress.events} events, ${rate} events/s\n`);
  });
  const truth = sim.truth(count);
  // One key puts every event in the key's unit: the truth says so.
  const written = o.key === undefined ? truth : { ...truth, scenarios: truth.scenarios.map((s) => ({ ...s, units: [o['key-unit']!] })) };
  writeFileSync(o.truth, `${JSON.stringify(written, null, 2)}\n`);
  io.err(`vigil simulate: ${count} events sent (${sink.stats.accepted} accepted, ${sink.stats.rejected} rejected, ${sink.stats.retries} retries; ${sink.stats.heartbeats} heartbeats, ${sink.stats.heartbeatsMissed} missed); ground truth in ${o.truth}\n`);
  return sink.stats.rejected > 0 ? 1 : 0;
}

async function score(args: readonly string[], io: CliOutput): Promise<number> {
  const raw = options(args, Object.keys(scoreOptionsSchema.shape));
  const parsed = typeof raw === 'string' ? undefined : scoreOptionsSchema.safeParse(raw);
  if (parsed === undefined || !parsed.success) {
    io.err(`vigil simulate score: ${typeof raw === 'string' ? raw : problem(parsed!.error)}\nusage: ${SIMULATE_USAGE}\n`);
    return 2;
  }
  let truthText: string;
  try {
    truthText = readFileSync(parsed.data.truth, 'utf8');
  } catch (error) {
    io.err(`vigil simulate score: cannot read ${parsed.data.truth}: ${(error as Error).message}\n`);
    return 2;
  }
  const truth = truthSchema.safeParse(JSON.parse(truthText));
  if (!truth.success) {
    io.err(`vigil simulate score: ${parsed.data.truth} is not a simulation's ground truth: ${problem(truth.error)}\n`);
    return 2;
  }
  const session = await signIn(parsed.data.url, parsed.data.user, parsed.data.password);
  const result = scoreRun(truth.data, await allAlerts(session), await clocksAhead(session));
  io.out(formatScore(result));
  return result.missed.length === 0 ? 0 : 1;
}
