// Routing rules as data: which channels an alert reaches by severity (at least), unit,
// rule id or title, ATT&CK tactic (however the tag is spelled) and alert kind, and how
// single, correlation, spread and outbreak alerts are told apart.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../core/schemas/alert.ts';
import { alertKind } from '../../notify/alert-kind.ts';
import { parseNotifyConfig } from '../../notify/load-notify-config.ts';
import { routeAlert } from '../../notify/route-alert.ts';
import { makeAlert } from './notify-harness.ts';

const config = parseNotifyConfig(
  `
channels:
  high: { type: slack, url: 'https://hooks.example/high' }
  unit-b: { type: slack, url: 'https://hooks.example/b' }
  lateral: { type: slack, url: 'https://hooks.example/lateral' }
  spreads: { type: slack, url: 'https://hooks.example/spreads' }
  eicar: { type: slack, url: 'https://hooks.example/eicar' }
  officer-a: { type: slack, url: 'https://hooks.example/a', unit: unit-a }
rules:
  - { name: high and above, match: { severity: high }, channels: [high] }
  - { name: unit b, match: { unit: unit-b }, channels: [unit-b] }
  - { name: lateral movement, match: { tactic: attack.lateral_movement }, channels: [lateral] }
  - { name: spread or outbreak, match: { kind: [spread, outbreak] }, channels: [spreads] }
  - { name: eicar by title, match: { rule: 'eicar test file' }, channels: [eicar] }
  - { name: medium to officers, match: { severity: medium }, unit_channels: true }
`,
  'notify.yml',
);

const route = (alert: Alert) => routeAlert(config, alert).map((channel) => channel.name).sort();
const correlation = (overrides: Partial<Alert>): Alert =>
  makeAlert('unit-a', { rule: { id: 'c', title: 'C', level: 'high', tags: [], kind: 'correlation' }, ...overrides });

describe('routing', () => {
  it('matches severity at least, unit, tactic, kind and rule title, each adding its channels', () => {
    expect(route(makeAlert('unit-a', { severity: 'medium' }))).toEqual(['officer-a']);
    expect(route(makeAlert('unit-a', { severity: 'low' }))).toEqual([]);
    expect(route(makeAlert('unit-b', { severity: 'critical' }))).toEqual(['high', 'unit-b']);
    expect(route(makeAlert('unit-b', { severity: 'low', attack: { tactics: ['lateral-movement'], techniques: [] } }))).toEqual(['lateral', 'unit-b']);
    expect(route(makeAlert('unit-c', { severity: 'low', rule: { id: 'x', title: 'EICAR Test File', level: 'low', tags: [], kind: 'match' } }))).toEqual(['eicar']);
  });

  it('tells single, correlation, spread and outbreak alerts apart', () => {
    expect(alertKind(makeAlert('unit-a'))).toBe('single');
    expect(alertKind(correlation({ group: { 'host.id': 'pc-1', 'rule.name': 'Trojan' } }))).toBe('correlation');
    expect(alertKind(correlation({ group: { 'organization.id': 'unit-a', 'rule.name': 'Trojan' }, host: {} }))).toBe('spread');
    expect(alertKind(correlation({ organization: { id: '*', name: '' }, group: { 'rule.name': 'Trojan' } }))).toBe('outbreak');
    expect(alertKind(correlation({ rule: { id: 'vigil-silent-unit', title: 'Unit went silent', level: 'high', tags: [], kind: 'correlation' }, group: { 'organization.id': 'unit-a' } }))).toBe(
      'correlation',
    );
    expect(route(correlation({ severity: 'low', organization: { id: '*', name: '' }, group: { 'rule.name': 'Trojan' } }))).toEqual(['spreads']);
  });

  it("never routes an alert to a channel bound to another unit, nor a cross-unit alert to a unit's channel", () => {
    expect(route(makeAlert('unit-b', { severity: 'medium' }))).toEqual(['unit-b']);
    expect(route(correlation({ severity: 'medium', organization: { id: '*', name: '' }, group: { 'rule.name': 'T' } }))).toEqual(['spreads']);
  });
});
