// Which decoder reads a post: format names (`?format=`, `X-Vigil-Format`) to decoders.
// The built-in ones are listed here, one line each; antivirus console mappings are
// added from YAML files at start (`av:<mapping name>`), so a new product is a file.
import { ecsDecoder } from './ecs.ts';
import { suricataDecoder } from './suricata.ts';
import { winlogbeatDecoder } from './winlogbeat.ts';
import { NATIVE_FORMAT, type Decoder } from './decoder.ts';

/** Every decoder that is code; add a format with one line here. */
export const BUILTIN_DECODERS: readonly Decoder[] = [
  ecsDecoder,
  suricataDecoder,
  winlogbeatDecoder,
];

export interface DecoderRegistry {
  /** The decoder for a format name, or undefined when there is none. */
  get(name: string): Decoder | undefined;
  /** Every format name, sorted, for the 400 that lists them and for docs. */
  names(): string[];
  readonly defaultDecoder: Decoder;
}

/**
 * A registry of the built-in decoders plus `extra` (mapping-driven ones). A later
 * decoder of the same name replaces an earlier one, so an operator's mapping file can
 * override a shipped one by name.
 */
export function createDecoderRegistry(extra: readonly Decoder[] = []): DecoderRegistry {
  const byName = new Map<string, Decoder>();
  for (const decoder of [...BUILTIN_DECODERS, ...extra]) byName.set(decoder.name, decoder);
  const defaultDecoder = byName.get(NATIVE_FORMAT)!;
  return {
    get: (name) => byName.get(name),
    names: () => [...byName.keys()].sort(),
    defaultDecoder,
  };
}
