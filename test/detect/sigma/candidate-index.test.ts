// The candidate index may only ever skip rules that cannot match: matching through it
// must give exactly what evaluating every rule gives. Checked on the shipped library
// (with its own test cases as events) and on 1,000 synthetic rules (with events built
// to match them), plus realistic traffic.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CandidateIndex } from '../../../detect/sigma/candidate-index.ts';
import { compileRule, type CompiledRule } from '../../../detect/sigma/compile-rule.ts';
import type { DetectionNode } from '../../../detect/sigma/detection-tree.ts';
import { MultiPatternMatcher } from '../../../detect/sigma/multi-pattern.ts';
import { buildRuleSet, loadRuleSet } from '../../../detect/sigma/rule-set.ts';
import { mixedEvent, seededRandom } from '../../../scripts/simulate/realistic-events.ts';
import { syntheticRules } from '../../../scripts/bench/synthetic-rules.ts';
import { repoRoot } from '../../support/start-vigil.ts';

type Event = Record<string, unknown>;

function libraryTestEvents(dir: string): Event[] {
  const events: Event[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.test\.ya?ml$/.test(entry.name)) continue;
    const cases = parse(fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8')) as { match?: Event[]; no_match?: Event[] };
    events.push(...(cases.match ?? []), ...(cases.no_match ?? []));
  }
  return events;
}

/** What each synthetic rule's log source routes on (see rules/pipelines). */
const logsourceFields: Record<string, Event> = {
  antivirus: { event: { category: ['malware'], module: 'antivirus' } },
  firewall: { event: { category: ['network'], module: 'firewall' }, observer: { type: 'firewall' } },
  ids: { event: { category: ['network'], module: 'suricata' }, observer: { type: 'ids' } },
  process_creation: { event: { category: ['process'], type: ['start'] } },
};

/** An event of the rule's log source that satisfies every item of its first identifier, wildcards filled in. */
function probeEvent(rule: CompiledRule): Event {
  const event: Event = structuredClone(logsourceFields[rule.logsource.category ?? ''] ?? {});
  const fill = (node: DetectionNode) => {
    if (node.kind === 'group') {
      (node.linking === 'and' ? node.children : node.children.slice(0, 1)).forEach(fill);
      return;
    }
    const value = node.values[0];
    if (node.field === null || value?.kind !== 'string') return;
    const text = value.parts.map((part) => (typeof part === 'string' ? part : 'x')).join('');
    event[node.field] = /^\d+$/.test(text) ? Number(text) : text.toUpperCase();
  };
  const first = [...rule.detection.values()][0];
  if (first) fill(first);
  return event;
}

function expectSameMatches(rules: readonly CompiledRule[], events: readonly Event[]): number {
  const index = new CandidateIndex(rules);
  let matches = 0;
  for (const event of events) {
    const everyRule = rules.filter((rule) => rule.matches(event)).map((rule) => rule.id);
    const throughIndex = index.candidates(event).filter((rule) => rule.matches(event)).map((rule) => rule.id);
    expect(throughIndex, JSON.stringify(event)).toEqual(everyRule);
    matches += everyRule.length;
  }
  return matches;
}

function realisticEvents(count: number): Event[] {
  const random = seededRandom(99);
  return Array.from({ length: count }, (_, i) => mixedEvent(`PC-${i}`, `FW-${i % 7}`, random, 0.2));
}

describe('candidate index', () => {
  it('finds exactly the matches of evaluating every shipped rule', () => {
    const library = loadRuleSet(path.join(repoRoot, 'rules'));
    const rules = library.routes.flatMap((route) => route.rules);
    const matches = expectSameMatches(rules, [...libraryTestEvents(path.join(repoRoot, 'rules')), ...realisticEvents(2_000)]);
    expect(matches).toBeGreaterThan(50);
  });

  it('finds exactly the matches of evaluating 1,000 synthetic rules, and skips most of them', () => {
    const rules = syntheticRules(1_000).map((text, i) => compileRule(text, `synthetic-${i}.yml`).rule!);
    const probes = rules.map(probeEvent);
    const matches = expectSameMatches(rules, [...probes, ...realisticEvents(1_000)]);
    expect(matches).toBeGreaterThan(500);
    const index = new CandidateIndex(buildRuleSet(rules).rules);
    expect(index.unindexedCount).toBeLessThan(100);
    const average = realisticEvents(500).reduce((sum, event) => sum + index.candidates(event).length, 0) / 500;
    expect(average).toBeLessThan(100);
  });
});

describe('candidate index and Unicode', () => {
  it('agrees with the matcher on non-ASCII literals, case folding traps and cased items', () => {
    const texts = [
      "file.name|contains: \"\u202E\"",
      'file.name|contains: Báo cáo',
      'file.name|contains|cased: ΑΣ',
      'file.name|cased: KELVIN',
      'file.name|startswith: dc',
      'file.name: hà nội.exe',
    ];
    const rules = texts.map((detection, i) => compileRule(`title: t${i}\nid: u${i}\ndetection:\n  sel:\n    ${detection}\n  condition: sel\n`, `u${i}.yml`).rule!);
    const names = ['invoice\u202Efdp.exe', 'BÁO CÁO tháng.exe', 'báo cáo.pdf', 'ΑΣΒ', 'ΑΣ', 'xΑΣ y', '\u212AELVIN', 'KELVIN', 'kelvin', 'DC01.log', 'Hà Nội.EXE', 'ha noi.exe'];
    const matches = expectSameMatches(rules, names.map((name) => ({ file: { name } })));
    expect(matches).toBeGreaterThanOrEqual(8);
  });
});

describe('multi-pattern matcher', () => {
  it('reports the same patterns as checking each with includes', () => {
    const random = seededRandom(7);
    const word = (length: number) => Array.from({ length }, () => 'abc'[Math.floor(random() * 3)]).join('');
    for (let round = 0; round < 200; round++) {
      const patterns = [...new Set(Array.from({ length: 1 + Math.floor(random() * 12) }, () => word(1 + Math.floor(random() * 5))))];
      const text = word(Math.floor(random() * 40));
      const matcher = new MultiPatternMatcher(patterns);
      const hits: number[] = [];
      matcher.scan(text, hits);
      const found = new Set(hits);
      const expected = patterns.flatMap((pattern, at) => (text.includes(pattern) ? [at] : []));
      expect([...found].sort((a, b) => a - b), `${JSON.stringify(patterns)} in ${text}`).toEqual(expected);
    }
  });

  it('agrees with includes when patterns and texts mix ASCII with other characters', () => {
    // Non-ASCII characters take the sparse goto/failure path; texts also hold characters no pattern has.
    const random = seededRandom(11);
    const word = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let round = 0; round < 300; round++) {
      const patterns = [...new Set(Array.from({ length: 1 + Math.floor(random() * 12) }, () => word('aé—ж', 1 + Math.floor(random() * 5))))];
      const text = word('aé—жbΩ', Math.floor(random() * 40));
      const matcher = new MultiPatternMatcher(patterns);
      const hits: number[] = [];
      matcher.scan(text, hits);
      const expected = patterns.flatMap((pattern, at) => (text.includes(pattern) ? [at] : []));
      expect([...new Set(hits)].sort((a, b) => a - b), `${JSON.stringify(patterns)} in ${text}`).toEqual(expected);
    }
  });
});
