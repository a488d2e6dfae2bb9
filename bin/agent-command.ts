// `vigil agent --config agent.yml [--once]`: the shipper a unit runs next to a sensor or
// an antivirus console (agent/). Parses arguments, loads the YAML file, starts the agent,
// draws the progress line on stderr and prints the summary when it ends. Exit codes: 0
// done (--once: everything read was answered for; otherwise stopped by SIGTERM/SIGINT),
// 1 Vigil could not be reached in time (--once: the spool keeps the rest for the next
// run) or a fatal error such as a refused key, 2 a usage or configuration error.
import { AgentConfigError } from '../agent/agent-errors.ts';
import { loadAgentConfig } from '../agent/agent-config.ts';
import { progressLine, summary } from '../agent/agent-stats.ts';
import { startAgent } from '../agent/run-agent.ts';
import { createLogger } from '../core/log.ts';
import type { CliOutput } from './cli-output.ts';

export const AGENT_USAGE = 'vigil agent --config <agent.yml> [--once]';

export interface AgentCommandIo extends CliOutput {
  /** stderr is a terminal: redraw one progress line in place; otherwise print one now and then. */
  isTTY: boolean;
  /** Resolves on SIGTERM/SIGINT. */
  stopSignal: Promise<string>;
}

export async function runAgentCommand(args: readonly string[], io: AgentCommandIo): Promise<number> {
  let configPath: string | undefined;
  let once = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--once') once = true;
    else if (arg === '--config' && args[i + 1] !== undefined) configPath = args[++i];
    else if (arg.startsWith('--config=')) configPath = arg.slice('--config='.length);
    else {
      io.err(`vigil agent: unexpected argument "${arg}"\nusage: ${AGENT_USAGE}\n`);
      return 2;
    }
  }
  if (configPath === undefined) {
    io.err(`usage: ${AGENT_USAGE}\n`);
    return 2;
  }
  let config;
  try {
    config = loadAgentConfig(configPath);
  } catch (error) {
    if (error instanceof AgentConfigError) {
      io.err(`vigil agent: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const log = createLogger(config.logLevel).child({ process: 'agent' });
  const agent = startAgent(config, { once, log });
  io.err(`vigil agent: tailing ${config.inputs.length} file(s) to ${config.url}${once ? ' (once)' : ''}; spool ${agent.spoolDir}\n`);

  const draw = () => (io.isTTY ? io.err(`\r${progressLine(agent.stats())}\x1b[K`) : io.err(`${progressLine(agent.stats())}\n`));
  const progress = setInterval(draw, io.isTTY ? 1000 : 10_000);
  progress.unref();
  void io.stopSignal.then(() => agent.stop());

  try {
    const end = await agent.done;
    clearInterval(progress);
    if (io.isTTY) io.err('\n');
    io.err(summary(end.stats));
    if (end.outcome === 'gave_up') {
      io.err(`vigil agent: Vigil could not be reached; ${end.stats.spoolBatches} batch(es) stay in the spool for the next run\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    clearInterval(progress);
    if (io.isTTY) io.err('\n');
    io.err(summary(agent.stats()));
    io.err(`vigil agent: ${(error as Error).message}\n`);
    return 1;
  }
}
