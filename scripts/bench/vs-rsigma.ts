// `npm run bench:vs-rsigma -- --rules <SigmaHQ rules dir> --rsigma <binary> [--generator <gen_events.py>]`:
// Vigil's `vigil rules match … --pipeline none` side by side with rsigma's
// `rsigma engine eval -r … -e @events --quiet --output-format ndjson`, on the event
// lanes of rsigma's own benchmark (its scripts/perf/gen_events.py, 20,000 events per
// lane), one after the other, each pinned to CPU 0 (taskset) with its output to a file.
//
// Per lane: events/s of each, net of rule loading (a run on an empty events file is
// subtracted, as rsigma's own harness does; each run is made --repeat times and the
// least CPU counts), their ratio, and agreement: every
// (event, rule) pair the same. Times are CPU seconds (user + sys, from /usr/bin/time
// -v), which on one pinned core equal wall time on a quiet machine and stay honest on a
// busy one; wall seconds are printed too. Rule-load time and peak RSS of each engine
// come from the empty-events run. rsigma's timed run prints rule ids only; a second,
// untimed run with --include-event gives the events its matches belong to.
//
// Missing inputs are explained (how to get each) and exit 0: the exit code is non-zero
// only when the engines disagree.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const LANES = ['structured_windows', 'sysmon_file_event', 'low_match', 'match_heavy', 'no_match', 'cisco_syslog'] as const;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const HOW_TO = {
  rules:
    'the SigmaHQ rule set: git clone --depth 1 https://github.com/SigmaHQ/sigma /tmp/sigma, then --rules /tmp/sigma/rules',
  rsigma:
    'rsigma 0.23.0 (builds with Rust 1.95, ~10 min on 2 cores): cargo install rsigma --version 0.23.0 --locked, then --rsigma ~/.cargo/bin/rsigma',
  generator:
    "rsigma's lane generator: git clone --depth 1 https://github.com/timescale/rsigma /tmp/rsigma, then --generator /tmp/rsigma/scripts/perf/gen_events.py (needs python3)",
} as const;

interface Args {
  rules: string | undefined;
  rsigma: string | undefined;
  generator: string | undefined;
  events: number;
  /** Runs of each timed command; the least CPU counts (other work on the machine only ever adds). */
  repeat: number;
  work: string;
  lanes: readonly string[];
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { rules: undefined, rsigma: undefined, generator: undefined, events: 20_000, repeat: 3, work: path.join(tmpdir(), 'vigil-vs-rsigma'), lanes: LANES };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    if (value === undefined) return `${flag} takes a value`;
    i += 1;
    if (flag === '--rules') args.rules = value;
    else if (flag === '--rsigma') args.rsigma = value;
    else if (flag === '--generator') args.generator = value;
    else if (flag === '--work') args.work = value;
    else if (flag === '--events') args.events = z.coerce.number().int().positive().parse(value);
    else if (flag === '--repeat') args.repeat = z.coerce.number().int().positive().parse(value);
    else if (flag === '--lanes') args.lanes = value.split(',').filter((lane) => lane !== '');
    else return `unknown option ${flag}`;
  }
  return args;
}

interface Run {
  /** User + system CPU seconds. */
  cpu: number;
  wall: number;
  /** Peak resident set, MB. */
  rssMb: number;
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const hasTime = existsSync('/usr/bin/time');

/** Runs `command` pinned to CPU 0, stdout to `outFile`; its CPU time, wall time and peak RSS. */
function timed(command: readonly string[], outFile: string): Run {
  const pinned = hasTaskset ? ['taskset', '-c', '0', ...command] : [...command];
  const full = hasTime ? ['/usr/bin/time', '-v', ...pinned] : pinned;
  const started = performance.now();
  const result = spawnSync(full[0]!, full.slice(1), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const wall = (performance.now() - started) / 1000;
  writeFileSync(outFile, result.stdout);
  const stderr = result.stderr.toString('utf8');
  if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status}:\n${stderr.slice(-2000)}`);
  const field = (name: string) => Number(new RegExp(`${name}[^:]*: ([\\d.]+)`).exec(stderr)?.[1] ?? Number.NaN);
  const cpu = hasTime ? field('User time') + field('System time') : wall;
  return { cpu, wall, rssMb: field('Maximum resident set size') / 1024 };
}

/** JSON with keys sorted at every level, so the same event reads the same from either engine. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const VigilLine = z.object({ event: z.number().int(), rule: z.string() });
const RsigmaLine = z.looseObject({ rule_id: z.string().nullish(), id: z.string().nullish(), event: z.unknown().optional() });

function nonEmptyLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '');
}

/** (event, rule) pairs as a multiset: canonical event + rule id → count. */
function countPairs(pairs: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const pair of pairs) counts.set(pair, (counts.get(pair) ?? 0) + 1);
  return counts;
}

function agreement(vigil: Map<string, number>, rsigma: Map<string, number>): { same: number; onlyVigil: number; onlyRsigma: number; example?: string } {
  let same = 0;
  let onlyVigil = 0;
  let onlyRsigma = 0;
  let example: string | undefined;
  for (const [pair, count] of vigil) {
    const other = rsigma.get(pair) ?? 0;
    same += Math.min(count, other);
    if (count > other) {
      onlyVigil += count - other;
      example ??= `only Vigil: ${pair.slice(0, 300)}`;
    }
  }
  for (const [pair, count] of rsigma) {
    const other = vigil.get(pair) ?? 0;
    if (count > other) {
      onlyRsigma += count - other;
      example ??= `only rsigma: ${pair.slice(0, 300)}`;
    }
  }
  return { same, onlyVigil, onlyRsigma, ...(example === undefined ? {} : { example }) };
}

function missingInputs(args: Args): string[] {
  const missing: string[] = [];
  if (args.rules === undefined || !existsSync(args.rules) || !statSync(args.rules).isDirectory()) missing.push(`--rules: ${HOW_TO.rules}`);
  if (args.rsigma === undefined || !existsSync(args.rsigma)) missing.push(`--rsigma: ${HOW_TO.rsigma}`);
  const lanesThere = args.lanes.every((lane) => existsSync(path.join(args.work, 'lanes', `${lane}.ndjson`)));
  if (!lanesThere && (args.generator === undefined || !existsSync(args.generator))) missing.push(`--generator: ${HOW_TO.generator}`);
  return missing;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`bench:vs-rsigma: ${args}\nusage: npm run bench:vs-rsigma -- --rules <SigmaHQ rules dir> --rsigma <binary> [--generator <gen_events.py>] [--events 20000] [--repeat 3] [--lanes a,b] [--work <dir>]\n`);
    return 0;
  }
  const missing = missingInputs(args);
  if (missing.length > 0) {
    process.stderr.write(`bench:vs-rsigma needs:\n${missing.map((line) => `  ${line}`).join('\n')}\n`);
    return 0;
  }
  const rules = path.resolve(args.rules!);
  const rsigma = path.resolve(args.rsigma!);
  const lanesDir = path.join(args.work, 'lanes');
  const outDir = path.join(args.work, 'out');
  mkdirSync(outDir, { recursive: true });
  if (args.generator !== undefined) {
    // The generator is seeded per lane: the same lanes on every machine.
    const generated = spawnSync('python3', [args.generator, '--out-dir', lanesDir, '--count', String(args.events)], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (generated.status !== 0) throw new Error(`the generator failed: ${generated.stderr.toString('utf8')}`);
  }
  const empty = path.join(args.work, 'empty.ndjson');
  writeFileSync(empty, '');

  const vigil = (events: string) => [process.execPath, '--import', 'tsx', path.join(repoRoot, 'bin', 'vigil.ts'), 'rules', 'match', rules, events, '--pipeline', 'none'];
  const rsigmaCmd = (events: string, includeEvent = false) => [
    rsigma, 'engine', 'eval', '-r', rules, '-e', `@${events}`, '--quiet', '--output-format', 'ndjson', ...(includeEvent ? ['--include-event'] : []),
  ];

  process.stdout.write(
    `machine: ${hasTaskset ? 'each engine pinned to CPU 0' : 'taskset missing: engines NOT pinned'}; ${hasTime ? 'CPU seconds from /usr/bin/time -v' : '/usr/bin/time missing: wall seconds, no RSS'}\n`,
  );
  // The least CPU of several runs: a busy machine only ever adds to a run's time, and
  // the lanes' figures are net of these, so noise here would swing every lane.
  const leastOf = (command: readonly string[], outFile: string): Run => {
    const runs = Array.from({ length: args.repeat }, () => timed(command, outFile));
    return runs.reduce((least, run) => (run.cpu < least.cpu ? run : least));
  };
  const vigilLoad = leastOf(vigil(empty), path.join(outDir, 'vigil-load.ndjson'));
  const rsigmaLoad = leastOf(rsigmaCmd(empty), path.join(outDir, 'rsigma-load.ndjson'));
  process.stdout.write(
    `rule load (${rules}): Vigil ${fmt(vigilLoad.cpu, 2)} s CPU (${fmt(vigilLoad.wall, 2)} s wall), peak RSS ${fmt(vigilLoad.rssMb)} MB;` +
      ` rsigma ${fmt(rsigmaLoad.cpu, 2)} s CPU (${fmt(rsigmaLoad.wall, 2)} s wall), peak RSS ${fmt(rsigmaLoad.rssMb)} MB\n\n`,
  );
  process.stdout.write(`${'lane'.padEnd(20)} ${'events'.padStart(7)} ${'Vigil ev/s'.padStart(11)} ${'rsigma ev/s'.padStart(12)} ${'ratio'.padStart(6)} ${'matches'.padStart(8)}  agreement   peak RSS Vigil / rsigma\n`);

  let disagreements = 0;
  for (const lane of args.lanes) {
    const events = path.join(lanesDir, `${lane}.ndjson`);
    if (!existsSync(events)) {
      process.stdout.write(`${lane.padEnd(20)} missing (${events}); is it a lane of this gen_events.py?\n`);
      continue;
    }
    const eventLines = readFileSync(events, 'utf8').split('\n');
    const count = eventLines.filter((line) => line.trim() !== '').length;
    const vigilOut = path.join(outDir, `vigil-${lane}.ndjson`);
    const rsigmaOut = path.join(outDir, `rsigma-${lane}.ndjson`);
    const v = leastOf(vigil(events), vigilOut);
    const r = leastOf(rsigmaCmd(events), rsigmaOut);
    const vigilRate = count / (v.cpu - vigilLoad.cpu);
    const rsigmaRate = count / (r.cpu - rsigmaLoad.cpu);

    // Agreement: Vigil names events by line; rsigma's untimed --include-event run embeds them.
    const vigilPairs = countPairs(
      nonEmptyLines(vigilOut).map((line) => {
        const { event, rule } = VigilLine.parse(JSON.parse(line));
        return `${rule} ${canonical(JSON.parse(eventLines[event]!))}`;
      }),
    );
    const rsigmaTimedMatches = nonEmptyLines(rsigmaOut).length;
    const withEvents = path.join(outDir, `rsigma-${lane}-events.ndjson`);
    timed(rsigmaCmd(events, true), withEvents);
    const rsigmaPairs = countPairs(
      nonEmptyLines(withEvents).map((line) => {
        const parsed = RsigmaLine.parse(JSON.parse(line));
        return `${parsed.rule_id ?? parsed.id ?? '?'} ${canonical(parsed.event)}`;
      }),
    );
    const agreed = agreement(vigilPairs, rsigmaPairs);
    const total = agreed.same + agreed.onlyVigil + agreed.onlyRsigma;
    const sameCount = rsigmaTimedMatches === agreed.same + agreed.onlyRsigma;
    const ok = agreed.onlyVigil === 0 && agreed.onlyRsigma === 0 && sameCount;
    if (!ok) disagreements += 1;
    const share = total === 0 ? '100%' : `${fmt((100 * agreed.same) / total, 2)}%`;
    process.stdout.write(
      `${lane.padEnd(20)} ${fmt(count).padStart(7)} ${fmt(vigilRate).padStart(11)} ${fmt(rsigmaRate).padStart(12)} ${fmt(vigilRate / rsigmaRate, 2).padStart(6)} ${fmt(agreed.same).padStart(8)}  ${share.padEnd(10)}  ${fmt(v.rssMb)} / ${fmt(r.rssMb)} MB` +
        `  (wall ${fmt(v.wall, 1)} s / ${fmt(r.wall, 1)} s)\n`,
    );
    if (!ok) {
      process.stdout.write(
        `  disagreement: ${agreed.onlyVigil} pairs only Vigil's, ${agreed.onlyRsigma} only rsigma's${sameCount ? '' : `; rsigma's timed run printed ${rsigmaTimedMatches} matches`}\n  ${agreed.example ?? ''}\n`,
      );
    }
  }
  process.stdout.write(
    `\nevents/s are net of rule load (the least CPU seconds of ${args.repeat} lane runs minus the least of ${args.repeat} empty-events runs); outputs in ${outDir}\n`,
  );
  return disagreements > 0 ? 1 : 0;
}

process.exitCode = main();
