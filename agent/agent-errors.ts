// The agent's typed errors. The agent is a separate program that talks to Vigil only
// over HTTP, so its errors are its own (core/errors.ts names the server's stages), each
// with a small fixed `code` and the place it happened: a config key, a file, a batch.

export type AgentErrorCode = 'bad_config' | 'unauthorized' | 'spool' | 'state' | 'tail';

export class AgentError extends Error {
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    /** Where: a config file and key, a tailed file, a spool file. */
    readonly where: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AgentError';
  }
}

/** The YAML file is unreadable or invalid; `problems` lists every one, each with its key and line. */
export class AgentConfigError extends AgentError {
  constructor(
    file: string,
    readonly problems: string[],
  ) {
    super('bad_config', `invalid agent configuration ${file}:\n  ${problems.join('\n  ')}`, file);
    this.name = 'AgentConfigError';
  }
}

/** Vigil refused the agent key (401): sending more is pointless until an operator fixes it. */
export class AgentUnauthorizedError extends AgentError {
  constructor(message: string, url: string) {
    super('unauthorized', `Vigil refused the agent key (${message}); batches stay in the spool until the key is fixed`, url);
    this.name = 'AgentUnauthorizedError';
  }
}
