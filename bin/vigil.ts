#!/usr/bin/env -S node --import tsx
// The `vigil` command line. `vigil start` runs everything in one process (what
// `npm start` runs); `vigil ingest|detect|correlate|api` run one stage each, for a
// distributed deployment; `vigil rules lint|match` check and try Sigma rules offline.
// Each command's logic lives in its own file, loaded only when it runs
// (command-modules.ts); this only picks one and handles signals.
import { ConfigError, loadConfig } from '../core/config.ts';
import { createLogger } from '../core/log.ts';
import {
  loadAgentCommand,
  loadAllInOne,
  loadBanner,
  loadCliOutput,
  loadReportCommand,
  loadRulesLint,
  loadRulesMatch,
  loadServeProcess,
  loadSimulateCommand,
  processStarters,
} from './command-modules.ts';
import { USAGE, VIGIL_PROCESSES, VIGIL_SIDE_PROCESSES, type VigilProcessName } from './commands.ts';

const isProcess = (command: string): command is VigilProcessName => ([...VIGIL_PROCESSES, ...VIGIL_SIDE_PROCESSES] as readonly string[]).includes(command);

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'help';
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'agent') {
    const stopSignal = new Promise<string>((resolve) => {
      process.once('SIGTERM', () => resolve('SIGTERM'));
      process.once('SIGINT', () => resolve('SIGINT'));
    });
    const [{ runAgentCommand }, { processOutput }] = await Promise.all([loadAgentCommand(), loadCliOutput()]);
    return runAgentCommand(argv.slice(1), { ...processOutput, isTTY: process.stderr.isTTY === true, stopSignal });
  }
  if (command === 'simulate') {
    const [{ runSimulateCommand }, { processOutput }] = await Promise.all([loadSimulateCommand(), loadCliOutput()]);
    return runSimulateCommand(argv.slice(1), processOutput);
  }
  if (command === 'report') {
    const [{ runReportCommand }, { processOutput }] = await Promise.all([loadReportCommand(), loadCliOutput()]);
    return runReportCommand(argv.slice(1), processOutput);
  }
  if (command === 'rules') {
    const [sub, ...rest] = argv.slice(1);
    const { processOutput } = await loadCliOutput();
    if (sub === 'lint') return (await loadRulesLint()).runRulesLint(rest, processOutput);
    if (sub === 'match') return (await loadRulesMatch()).runRulesMatch(rest, processOutput);
    const [{ RULES_LINT_USAGE }, { RULES_MATCH_USAGE }] = await Promise.all([loadRulesLint(), loadRulesMatch()]);
    process.stderr.write(`vigil rules: unknown subcommand "${sub ?? ''}"\n\nusage: ${RULES_LINT_USAGE}\n       ${RULES_MATCH_USAGE}\n`);
    return 2;
  }
  if (command !== 'start' && !isProcess(command)) {
    process.stderr.write(`vigil: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  if (argv.length > 1) {
    process.stderr.write(`vigil ${command}: takes no arguments (configuration comes from VIGIL_* variables)\n`);
    return 2;
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel).child({ process: command });
  // Listening for signals from the start: a SIGTERM while still starting (an orchestrator
  // scaling down) lets the start finish, then stops cleanly, instead of killing mid-way.
  let signalled!: (signal: string) => void;
  const signal = new Promise<string>((resolve) => (signalled = resolve));
  process.once('SIGTERM', () => signalled('SIGTERM'));
  process.once('SIGINT', () => signalled('SIGINT'));

  let running: { stop(): Promise<void> };
  if (command === 'start') {
    const [{ startAllInOne }, { startBanner }] = await Promise.all([loadAllInOne(), loadBanner()]);
    const vigil = await startAllInOne(config, log);
    process.stderr.write(
      startBanner(vigil, {
        adminPasswordConfigured: config.adminPassword !== undefined,
        agentKeyConfigured: config.bootstrapAgentKey !== undefined,
      }),
    );
    running = vigil;
  } else {
    const [start, { processBanner }] = await Promise.all([processStarters[command](), loadServeProcess()]);
    const stage = await start(config, log);
    process.stderr.write(processBanner(stage, config));
    running = stage;
  }
  // SIGTERM/SIGINT: stop taking work, finish and commit the batch in hand, close, exit 0.
  log.info({ signal: await signal }, 'draining');
  try {
    await running.stop();
    log.info('stopped cleanly');
    return 0;
  } catch (error) {
    log.error({ err: error }, 'error while stopping');
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      process.stderr.write(`vigil: ${error.message}\n`);
      process.exit(2);
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const reason = code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges';
      process.stderr.write(`vigil: ${(error as Error).message}: the address ${reason}; choose another with VIGIL_PORT or VIGIL_HOST\n`);
      process.exit(2);
    }
    process.stderr.write(`vigil: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
