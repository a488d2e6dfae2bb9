// What the agent did, counted for the progress line and the final summary on the
// terminal: lines read, events Vigil accepted, batches delivered, retries, batches that
// had to wait in the spool, events dropped from a full spool, events Vigil rejected.
export interface AgentStats {
  linesRead: number;
  eventsSent: number;
  batchesSent: number;
  retries: number;
  /** Batches that waited in the spool because a post failed (Vigil unreachable, 429, 5xx). */
  spooled: number;
  /** Batches and their events dropped, oldest first, because the spool was full. */
  droppedBatches: number;
  droppedEvents: number;
  /** Events Vigil refused (a bad line, a 4xx) and that are not sent again. */
  rejected: number;
  /** Lines longer than max_line_bytes, skipped. */
  skippedLines: number;
  rotations: number;
  truncations: number;
  heartbeats: number;
  /** Now in the spool, waiting to be sent. */
  spoolBatches: number;
  spoolBytes: number;
}

export function emptyStats(): AgentStats {
  return {
    linesRead: 0,
    eventsSent: 0,
    batchesSent: 0,
    retries: 0,
    spooled: 0,
    droppedBatches: 0,
    droppedEvents: 0,
    rejected: 0,
    skippedLines: 0,
    rotations: 0,
    truncations: 0,
    heartbeats: 0,
    spoolBatches: 0,
    spoolBytes: 0,
  };
}

const number = (n: number) => n.toLocaleString('en-US');

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** One line, rewritten in place on a terminal. */
export function progressLine(stats: AgentStats): string {
  return (
    `read ${number(stats.linesRead)} lines · sent ${number(stats.eventsSent)} events in ${number(stats.batchesSent)} batches · ` +
    `retries ${number(stats.retries)} · spool ${number(stats.spoolBatches)} (${size(stats.spoolBytes)}) · ` +
    `dropped ${number(stats.droppedEvents)} · rejected ${number(stats.rejected)}`
  );
}

/** The summary printed when the agent stops. */
export function summary(stats: AgentStats): string {
  const rows: [string, string][] = [
    ['lines read', number(stats.linesRead)],
    ['events sent', number(stats.eventsSent)],
    ['batches sent', number(stats.batchesSent)],
    ['retries', number(stats.retries)],
    ['batches spooled', number(stats.spooled)],
    ['dropped (spool full)', `${number(stats.droppedEvents)} events in ${number(stats.droppedBatches)} batches`],
    ['rejected by Vigil', number(stats.rejected)],
    ['lines too long', number(stats.skippedLines)],
    ['rotations, truncations', `${number(stats.rotations)}, ${number(stats.truncations)}`],
    ['left in the spool', `${number(stats.spoolBatches)} batches (${size(stats.spoolBytes)})`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return `vigil agent summary\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}\n`;
}
