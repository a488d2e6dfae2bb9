// Writes the JSON Schema of the event that agents post (docs/event.schema.json),
// generated from the zod schema that ingest validates with, so the two never drift.
// A test checks the committed file is current.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventJsonSchema } from '../core/schemas/event-json-schema.ts';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'event.schema.json');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, `${JSON.stringify(eventJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
