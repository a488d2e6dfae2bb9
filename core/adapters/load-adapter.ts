// Loads an adapter module that a setting chose, by its file, only when that setting
// asks for it: an all-in-one process never loads kafkajs or a search client, and a
// build where an adapter's module is missing says so at start, as a configuration
// problem naming the setting, instead of failing on the first publish.
import { ConfigError } from '../config.ts';

/**
 * Imports `file` (relative to core/) and answers its export `name`, a function.
 * `setting` is what chose it (`VIGIL_BUS=kafka`), for the message.
 */
export async function loadAdapter<F>(file: string, name: string, setting: string): Promise<F> {
  const url = new URL(`../${file}`, import.meta.url).href;
  let module: Record<string, unknown>;
  try {
    // A specifier held in a variable: the module may not exist in this build yet.
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(file.split('/').pop()!)) {
      throw new ConfigError([`${setting}: this build has no ${file} (the adapter is not available); use the embedded adapter`]);
    }
    throw error;
  }
  const exported = module[name];
  if (typeof exported !== 'function') {
    throw new ConfigError([`${setting}: core/${file} does not export ${name}(); this build cannot use that adapter`]);
  }
  return exported as F;
}
