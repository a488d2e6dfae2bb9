// Watches notify.yml and hands the notify stage each good new version: an edit takes
// effect without a restart. The file's folder is watched (an editor's save is often a
// rename over the file, which a watch on the file itself would lose), changes are
// debounced into one read, and a text equal to the last one read is no change. A
// broken edit is reported with every located problem (file:line:col) and the last good
// configuration stays in force; a deleted file keeps it too (notify keeps running).
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../core/log.ts';
import { NotifyConfigError, parseNotifyConfig } from './load-notify-config.ts';
import type { NotifyConfig } from './notify-config.ts';

export const NOTIFY_CONFIG_DEBOUNCE_MS = 300;

export interface NotifyConfigWatcher {
  /** Reads the file now (what a change event does after the debounce); answers whether a new config was applied. */
  check(): Promise<boolean>;
  close(): void;
}

export interface NotifyConfigWatchOptions {
  file: string;
  log: Logger;
  /** Applies a new, valid configuration; a NotifyConfigError thrown here refuses it like a parse error. */
  apply: (config: NotifyConfig) => Promise<void>;
  /** Told of a refused edit, with its located problems. */
  onRefused?: (problems: readonly string[]) => void;
  env?: NodeJS.ProcessEnv;
  debounceMs?: number;
}

export function watchNotifyConfig(options: NotifyConfigWatchOptions): NotifyConfigWatcher {
  const log = options.log;
  const name = path.basename(options.file);
  let lastText = readText(options.file);
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<boolean> = Promise.resolve(false);
  let closed = false;

  const read = async (): Promise<boolean> => {
    const text = readText(options.file);
    if (text === undefined) {
      if (lastText !== undefined) log.warn({ file: options.file }, 'the notification rules file is gone; the last good configuration stays in force');
      lastText = undefined;
      return false;
    }
    if (text === lastText) return false;
    lastText = text;
    let config: NotifyConfig;
    try {
      config = parseNotifyConfig(text, options.file, options.env ?? process.env);
      // apply refuses what only the running process can tell (an email channel without SMTP).
      await options.apply(config);
    } catch (error) {
      if (!(error instanceof NotifyConfigError)) throw error;
      log.error({ file: options.file, problems: error.problems }, `notify.yml not reloaded, the last good configuration stays in force:\n  ${error.problems.join('\n  ')}`);
      options.onRefused?.(error.problems);
      return false;
    }
    log.info({ file: options.file, channels: config.channels.length, rules: config.rules.length }, 'notification rules reloaded');
    return true;
  };
  // One read at a time, in order: a second edit during an apply is read after it.
  const check = (): Promise<boolean> => {
    chain = chain.catch(() => false).then(() => (closed ? false : read()));
    return chain;
  };

  let watcher: fs.FSWatcher | undefined;
  try {
    watcher = fs.watch(path.dirname(options.file), (_event, filename) => {
      if (filename !== null && filename !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        check().catch((error: unknown) => log.error({ err: error, file: options.file }, 'reloading the notification rules failed; the last good configuration stays in force'));
      }, options.debounceMs ?? NOTIFY_CONFIG_DEBOUNCE_MS);
      timer.unref();
    });
    watcher.on('error', (error) => log.warn({ err: error, file: options.file }, 'cannot watch the notification rules file; edits need a restart'));
  } catch (error) {
    log.warn({ err: error, file: options.file }, 'cannot watch the notification rules file; edits need a restart');
  }

  return {
    check,
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
