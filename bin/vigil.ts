#!/usr/bin/env -S node --import tsx
// The `vigil` command line. `vigil start` runs everything in one process on the
// embedded Bus and Store (what `npm start` runs); `vigil rules lint|match` check and
// try Sigma rules offline. Each command's logic lives in its own file.
import { ConfigError, loadConfig } from '../core/config.ts';
import { createLogger } from '../core/log.ts';
import { startAllInOne } from './all-in-one.ts';
import { startBanner } from './banner.ts';
import { processOutput } from './cli-output.ts';
import { RULES_LINT_USAGE, runRulesLint } from './rules-lint.ts';
import { RULES_MATCH_USAGE, runRulesMatch } from './rules-match.ts';

const USAGE = `usage: vigil <command>

commands:
  start     run ingest, detect and the console in one process (embedded bus and store)
  rules     check or try Sigma rules:
              ${RULES_LINT_USAGE}
              ${RULES_MATCH_USAGE}
  help      show this text

Configuration comes from VIGIL_* environment variables; see the README.`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'help';
  if (command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === 'rules') {
    const [sub, ...rest] = argv.slice(1);
    if (sub === 'lint') return runRulesLint(rest, processOutput);
    if (sub === 'match') return runRulesMatch(rest, processOutput);
    process.stderr.write(`vigil rules: unknown subcommand "${sub ?? ''}"\n\nusage: ${RULES_LINT_USAGE}\n       ${RULES_MATCH_USAGE}\n`);
    return 2;
  }
  if (command !== 'start') {
    process.stderr.write(`vigil: unknown command "${command}"\n\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const running = await startAllInOne(config, log);
  process.stderr.write(
    startBanner(running, {
      adminPasswordConfigured: config.adminPassword !== undefined,
      agentKeyConfigured: config.bootstrapAgentKey !== undefined,
    }),
  );
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, 'draining');
      running
        .stop()
        .then(() => log.info('stopped cleanly'))
        .catch((error: unknown) => log.error({ err: error }, 'error while stopping'))
        .finally(resolve);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  return 0;
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
