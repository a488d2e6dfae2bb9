// The `vigil` subcommands and the usage text that lists them. Kept apart from vigil.ts
// (which runs on import) so tests can check, for instance, that every service of
// docker-compose.yml runs a real subcommand.
import { RULES_LINT_USAGE } from './rules-lint.ts';
import { RULES_MATCH_USAGE } from './rules-match.ts';

/** The stage processes of a distributed deployment, each scalable to N replicas. */
export const VIGIL_PROCESSES = ['ingest', 'detect', 'correlate', 'api'] as const;
/** Processes beside the pipeline's stages (notify: replicas on Kafka claim each delivery of the shared outbox, so each is sent once). */
export const VIGIL_SIDE_PROCESSES = ['notify'] as const;
export type VigilProcessName = (typeof VIGIL_PROCESSES)[number] | (typeof VIGIL_SIDE_PROCESSES)[number];

export const VIGIL_COMMANDS = ['start', ...VIGIL_PROCESSES, ...VIGIL_SIDE_PROCESSES, 'rules', 'agent', 'report', 'simulate', 'help'] as const;
export type VigilCommand = (typeof VIGIL_COMMANDS)[number];

export const USAGE = `usage: vigil <command>

commands:
  start      run everything in one process: ingest and the console on the main thread,
             detect and correlate on a worker thread (embedded bus and store by default)
  ingest     accept agents' events (POST /api/v1/events) and publish them to the bus
  detect     match events against the Sigma rules, store them, publish signals
  correlate  group alerts, run correlation rules and silent-source checks, write alerts
  api        serve the console, its REST API and the live alert stream (WebSocket)
  notify     send alert notifications (email, webhook, Telegram, Slack/Teams) routed by
             notify.yml (VIGIL_NOTIFY_RULES_FILE, reloaded when it changes); replicas
             share one outbox on Kafka
  rules      check or try Sigma rules:
               ${RULES_LINT_USAGE}
               ${RULES_MATCH_USAGE}
  agent      tail log files and ship them to Vigil with an agent key (a unit's shipper):
               vigil agent --config <agent.yml> [--once]
  report     print a unit's or the whole SOC's report (PDF or JSON) for a period, by
             default the previous calendar month (local time, VIGIL_UTC_OFFSET_MINUTES):
               vigil report --unit <id>|--soc [--from 2026-11-01 --to 2026-12-01] [--lang vi|en] --out <file.pdf>
  simulate   send a simulated province (background and injected attacks, with ground
             truth) to Vigil or to NDJSON files; \`simulate score\` checks what was caught:
               vigil simulate --url <vigil> --admin-user <u> --admin-password <p> [--duration 1d]
               vigil simulate score --truth <file> --url <vigil> --user <u> --password <p>
  help       show this text

ingest, detect, correlate and api are the distributed deployment's processes: run
each with as many replicas as needed (VIGIL_BUS=kafka, VIGIL_STORE=elasticsearch).
Every process serves /healthz, /readyz and /metrics on VIGIL_HOST:VIGIL_PORT.
Configuration comes from VIGIL_* environment variables; see the README.`;
