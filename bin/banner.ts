// What `vigil start` prints for a person: where the console is, how to sign in, and a
// ready-to-run curl command that posts a first event. Secrets generated on first start
// appear here once and nowhere else.
import type { RunningVigil } from './all-in-one.ts';

export function startBanner(running: RunningVigil, options: { adminPasswordConfigured: boolean; agentKeyConfigured: boolean }): string {
  const { url, bootstrap } = running;
  const password = bootstrap.generatedAdminPassword
    ? `${bootstrap.generatedAdminPassword}   (generated now and shown only this once)`
    : options.adminPasswordConfigured
      ? 'the value of VIGIL_ADMIN_PASSWORD'
      : 'the password printed on the first start';
  const key = bootstrap.generatedAgentKey ?? (options.agentKeyConfigured ? '$VIGIL_BOOTSTRAP_AGENT_KEY' : '<agent key>');
  const keyNote = bootstrap.generatedAgentKey
    ? `  (agent key for unit "${bootstrap.unitId}", shown only this once)`
    : options.agentKeyConfigured
      ? ''
      : '  (the key printed on the first start, or one made in the console)';
  const event = JSON.stringify({
    event: { kind: 'alert', category: ['malware'], action: 'quarantined', outcome: 'success', module: 'antivirus' },
    host: { id: 'pc-0001', name: 'PC-0001' },
    file: { path: 'C:\\Users\\demo\\Downloads\\eicar.com' },
    rule: { name: 'EICAR-Test-File' },
  });
  const lines = [
    '',
    `  Vigil is running: ${url}`,
    '',
    `  Console:   ${url}/`,
    `  Sign in:   username admin, password ${password}`,
    '',
    `  Post a first event${keyNote}:`,
    `    curl -sS -X POST ${url}/api/v1/events \\`,
    `      -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" \\`,
    `      -d '${event}'`,
    '',
    `  Rules loaded: ${running.rules.loaded}${running.rules.errors.length ? `, ${running.rules.errors.length} rule file(s) with errors (see log)` : ''}`,
    '  Stop with Ctrl-C (drains and commits before exiting).',
    '',
  ];
  return lines.join('\n');
}
