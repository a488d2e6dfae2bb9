// The JSON Schema agent authors read: what POST /api/v1/events accepts for one event.
import { z } from 'zod';
import { incomingEventSchema } from './event.ts';

export function eventJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(incomingEventSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://vigil.local/schemas/event.schema.json',
    title: 'Vigil security event (ECS)',
    description:
      'One event as an agent posts it to POST /api/v1/events. Field names follow the Elastic Common Schema. ' +
      '`organization` is ignored: the unit comes from the agent key. `event.id` and `event.ingested` are assigned when absent.',
  };
}
