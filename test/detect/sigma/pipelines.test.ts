// Processing pipelines (rules/pipelines/): a rule written with Sigma taxonomy names
// compiles to the same matches as its twin written with ECS names, mapping happens in
// the compiled tree (never per event), names a pipeline does not know stay as written,
// and a broken pipeline file is a located error.
import { describe, expect, it } from 'vitest';
import { compileRule, type CompiledRule } from '../../../detect/sigma/compile-rule.ts';
import type { MatchableEvent } from '../../../detect/sigma/field-access.ts';
import { compilePipeline } from '../../../detect/sigma/pipeline.ts';
import { buildPipelineSet, noPipelines, shippedPipelines } from '../../../detect/sigma/pipeline-set.ts';
import { dedent } from './rule-text.ts';

function rule(logsource: string, selection: Record<string, unknown>, options: Parameters<typeof compileRule>[2] = {}): CompiledRule {
  const body = Object.entries(selection)
    .map(([field, value]) => `    '${field}': ${JSON.stringify(value)}`)
    .join('\n');
  const text = `title: t\nid: t\nlogsource: {${logsource}}\ndetection:\n  selection:\n${body}\n  condition: selection\n`;
  const result = compileRule(text, 'rules/inline.yml', options);
  if (result.rule === undefined) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.rule;
}

const fire = (compiled: CompiledRule, events: readonly MatchableEvent[]) => events.map((event) => compiled.matches(event));

const avEvents = [
  { event: { category: ['malware'], action: 'quarantine_failed' }, rule: { name: 'Trojan:Win32/Emotet' }, file: { path: 'C:\\Temp\\a.exe' } },
  { event: { category: ['malware'], action: 'quarantined' }, rule: { name: 'Trojan:Win32/Emotet' }, file: { path: 'C:\\Temp\\a.exe' } },
  { event: { category: ['network'], action: 'quarantine_failed' }, rule: { name: 'Emotet' }, file: { path: 'C:\\Temp\\a.exe' } },
];
const processEvents = [
  {
    event: { category: ['process'], type: ['start'] },
    process: { executable: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd /c whoami', parent: { executable: 'C:\\x\\winword.exe' } },
    user: { name: 'alice' },
  },
  { event: { category: ['process'], type: ['start'] }, process: { executable: 'C:\\Windows\\explorer.exe', command_line: 'explorer' } },
  { event: { category: ['process'], type: ['end'] }, process: { executable: 'C:\\Windows\\System32\\cmd.exe', command_line: 'cmd /c whoami' } },
];
const firewallEvents = [
  { event: { category: ['network'], action: 'deny' }, observer: { type: 'firewall' }, source: { ip: '10.0.0.5' }, destination: { ip: '8.8.8.8', port: 3389 } },
  { event: { category: ['network'], action: 'allow' }, observer: { type: 'firewall' }, source: { ip: '10.0.0.5' }, destination: { ip: '8.8.8.8', port: 3389 } },
  { event: { category: ['network'], action: 'deny' }, source: { ip: '10.0.0.5' }, destination: { ip: '8.8.8.8', port: 3389 } },
];
const dnsEvents = [
  { event: { category: ['network'] }, dns: { question: { name: 'evil.top', type: 'A' } } },
  { event: { category: ['network'] }, dns: { question: { name: 'good.example', type: 'A' } } },
  { event: { category: ['process'] }, dns: { question: { name: 'evil.top' } } },
];
const webEvents = [
  { event: { category: ['web'] }, url: { original: '/wp-admin/x.php?cmd=id', path: '/wp-admin/x.php' }, http: { request: { method: 'GET' } } },
  { event: { category: ['web'] }, url: { original: '/index.html', path: '/index.html' }, http: { request: { method: 'GET' } } },
  { event: { category: ['web'] }, observer: { type: 'proxy' }, url: { original: '/wp-admin/x.php?cmd=id', path: '/wp-admin/x.php' } },
];

describe('shipped pipelines', () => {
  it('load without problems', () => {
    expect(shippedPipelines().errors.map((error) => error.message)).toEqual([]);
    expect([...shippedPipelines().pipelines.names].sort()).toEqual(
      expect.arrayContaining(['antivirus', 'dns', 'firewall', 'network_connection', 'process_creation', 'proxy', 'suricata', 'webserver', 'zeek']),
    );
  });

  it.each([
    ['category: antivirus', { 'Signature|contains': 'emotet', Action: 'quarantine_failed' }, { 'rule.name|contains': 'emotet', 'event.action': 'quarantine_failed' }, avEvents],
    ['category: antivirus', { 'Filename|contains': '\\temp\\' }, { 'file.path|contains': '\\temp\\' }, avEvents],
    [
      'category: process_creation',
      { 'Image|endswith': '\\cmd.exe', 'CommandLine|contains': 'whoami', 'ParentImage|endswith': '\\winword.exe', User: 'alice' },
      { 'process.executable|endswith': '\\cmd.exe', 'process.command_line|contains': 'whoami', 'process.parent.executable|endswith': '\\winword.exe', 'user.name': 'alice' },
      processEvents,
    ],
    ['category: firewall', { dst_port: 3389, action: 'deny', src_ip: '10.0.0.5', dst_ip: '8.8.8.8' }, { 'destination.port': 3389, 'event.action': 'deny', 'source.ip': '10.0.0.5', 'destination.ip': '8.8.8.8' }, firewallEvents],
    ['category: network_connection', { DestinationPort: 3389, SourceIp: '10.0.0.5' }, { 'destination.port': 3389, 'source.ip': '10.0.0.5' }, [
      ...firewallEvents,
      { event: { category: ['network'] }, source: { ip: '10.0.0.5' }, destination: { port: 80 } },
      { event: { category: ['process'] }, source: { ip: '10.0.0.5' }, destination: { port: 3389 } },
    ]],
    ['category: dns', { 'query|endswith': '.top', record_type: 'A' }, { 'dns.question.name|endswith': '.top', 'dns.question.type': 'A' }, dnsEvents],
    ['category: webserver', { 'cs-uri-stem|contains': 'wp-admin', 'cs-method': 'GET' }, { 'url.path|contains': 'wp-admin', 'http.request.method': 'GET' }, webEvents],
    ['category: proxy', { 'c-uri|contains': 'cmd=' }, { 'url.original|contains': 'cmd=' }, webEvents],
  ])('%s: a taxonomy rule matches as its ECS twin', (logsource, taxonomy, ecs, events) => {
    const expected = fire(rule(logsource, ecs), events);
    expect(expected).toContain(true);
    expect(expected).toContain(false);
    expect(fire(rule(logsource, taxonomy), events)).toEqual(expected);
  });

  it('maps field names in the compiled tree, once, and leaves ECS and unknown names as written', () => {
    const compiled = rule('category: process_creation', { Image: 'a', 'process.name': 'b', CustomField: 'c' });
    expect(compiled.detection.get('selection')).toMatchObject({
      kind: 'group',
      children: [{ field: 'process.executable' }, { field: 'process.name' }, { field: 'CustomField' }],
    });
  });

  it('maps only for rules of the pipeline’s log sources', () => {
    const compiled = rule('category: firewall', { Image: 'a' });
    expect(compiled.detection.get('selection')).toMatchObject({ kind: 'item', field: 'Image' });
  });

  it('reads Zeek fields flat as Zeek writes them, or from the ECS fields a shipper fills', () => {
    const compiled = rule('product: zeek, service: conn', { 'id.resp_p': 445, 'id.orig_h': '10.0.0.5' });
    const flat = { event: { module: 'zeek', dataset: 'zeek.conn' }, 'id.orig_h': '10.0.0.5', 'id.resp_p': 445 };
    const ecs = { event: { module: 'zeek', dataset: 'zeek.conn' }, source: { ip: '10.0.0.5' }, destination: { port: 445 } };
    const other = { event: { module: 'zeek', dataset: 'zeek.conn' }, source: { ip: '10.0.0.6' }, destination: { port: 445 } };
    expect(fire(compiled, [flat, ecs, other])).toEqual([true, true, false]);
  });

  it('maps Suricata eve.json names for ids rules', () => {
    const compiled = rule('category: ids', { 'alert.signature|contains': 'ET MALWARE', dest_port: 443 });
    const alert = { event: { module: 'suricata' }, rule: { name: 'ET MALWARE Cobalt Strike' }, destination: { port: 443 } };
    expect(compiled.matches(alert)).toBe(true);
    expect(compiled.matches({ ...alert, destination: { port: 80 } })).toBe(false);
  });
});

describe('--pipeline none', () => {
  it('looks fields up as the rule names them and sees every event', () => {
    const compiled = rule('category: antivirus', { Signature: 'Emotet' }, { pipelines: noPipelines });
    expect(compiled.matches({ Signature: 'emotet' })).toBe(true);
    expect(compiled.matches({ rule: { name: 'Emotet' }, event: { category: ['malware'] } })).toBe(false);
  });

  it('accepts a logsource no pipeline routes', () => {
    expect(rule('category: mainframe', { x: 1 }, { pipelines: noPipelines }).matches({ x: 1 })).toBe(true);
  });
});

describe('pipeline files', () => {
  it('reports every problem with file:line:col', () => {
    const { pipeline, errors } = compilePipeline(
      dedent(`
        name: Bad Name
        logsources:
          - category: a
            product: b
        events:
          sel:
            x|nope: 1
          condition: sel and missing
        fieldmappings:
          A: 3
      `),
      'rules/pipelines/bad.yml',
    );
    expect(pipeline).toBeUndefined();
    expect(errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/^rules\/pipelines\/bad\.yml:1:7: name: /),
      expect.stringMatching(/^rules\/pipelines\/bad\.yml:3:5: logsources\.0: each entry names exactly one/),
      expect.stringMatching(/^rules\/pipelines\/bad\.yml:10:6: fieldmappings\.A: /),
    ]);
  });

  it('reports an events block that does not compile at its spot', () => {
    const { errors } = compilePipeline(
      'name: p\nlogsources:\n  - category: a\nevents:\n  sel:\n    x|nope: 1\n  condition: sel and missing\n',
      'p.yml',
    );
    expect(errors.map((error) => `${error.code} ${error.location.line}:${error.location.col}`)).toEqual([
      'rule_modifier 6:7',
      'rule_condition 7:22',
    ]);
  });

  it('refuses a log source routed by two pipelines', () => {
    const first = compilePipeline('name: a\nlogsources:\n  - category: x\n', 'a.yml').pipeline!;
    const second = compilePipeline('name: b\nlogsources:\n  - category: x\n', 'b.yml').pipeline!;
    const { errors } = buildPipelineSet([first, second]);
    expect(errors.map((error) => error.message)).toEqual([
      "b.yml:3:15: logsource category 'x' is already routed by pipeline 'a' (a.yml:1:7)",
    ]);
  });

  it('maps one Sigma field to several ECS fields as an OR', () => {
    const pipeline = compilePipeline(
      'name: p\nlogsources:\n  - category: x\nfieldmappings:\n  Host: [host.name, host.hostname]\n',
      'p.yml',
    ).pipeline!;
    const compiled = rule('category: x', { Host: 'pc-1' }, { pipelines: buildPipelineSet([pipeline]).pipelines });
    expect(fire(compiled, [{ host: { name: 'PC-1' } }, { host: { hostname: 'pc-1' } }, { host: { name: 'pc-2' } }])).toEqual([true, true, false]);
  });

  it('maps a neq on one Sigma field to "in none of its ECS fields"', () => {
    const pipeline = compilePipeline(
      'name: p\nlogsources:\n  - category: x\nfieldmappings:\n  Host: [host.name, host.hostname]\n',
      'p.yml',
    ).pipeline!;
    const compiled = rule('category: x', { 'Host|neq': 'pc-1' }, { pipelines: buildPipelineSet([pipeline]).pipelines });
    const events = [{ host: { name: 'PC-1' } }, { host: { hostname: 'pc-1' } }, { host: { name: 'pc-2', hostname: 'pc-2' } }];
    expect(fire(compiled, events)).toEqual([false, false, true]);
  });
});

describe('fieldref', () => {
  it('maps the referenced field name too', () => {
    const compiled = rule('category: process_creation', { 'ParentImage|fieldref': 'Image' });
    expect(compiled.detection.get('selection')).toMatchObject({
      field: 'process.parent.executable',
      values: [{ kind: 'fieldref', field: 'process.executable' }],
    });
    const same = { event: { category: ['process'], type: ['start'] }, process: { executable: 'a.exe', parent: { executable: 'a.exe' } } };
    const other = { ...same, process: { executable: 'a.exe', parent: { executable: 'b.exe' } } };
    expect(fire(compiled, [same, other])).toEqual([true, false]);
  });
});
