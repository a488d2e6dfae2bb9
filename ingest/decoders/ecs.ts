// The native format, and the default: events already in Elastic Common Schema, posted
// as they always were. Nothing to translate; the event schema validates them next.
import { decoded, NATIVE_FORMAT, type Decoder, type EcsObject } from './decoder.ts';

export const ecsDecoder: Decoder = {
  name: NATIVE_FORMAT,
  summary: 'Elastic Common Schema JSON, as Vigil validates it (the default)',
  input: 'json',
  // Handed on as parsed: a value that is not an object is refused by the event schema
  // with the same words as before formats existed.
  decode: ({ value }) => decoded(value as EcsObject),
};
