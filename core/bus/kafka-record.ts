// Turns a kafkajs message into the port's BusRecord (offsets are strings in kafkajs) and
// a BusMessage into a kafkajs one, so no other file deals with either wire shape.
import type { KafkaMessage, Message } from 'kafkajs';
import type { BusMessage, BusRecord } from '../ports/bus.ts';

export function toBusRecord(topic: string, partition: number, message: KafkaMessage): BusRecord {
  const value = message.value ?? Buffer.alloc(0);
  return {
    topic,
    partition,
    offset: Number(message.offset),
    key: message.key ? message.key.toString('utf8') : '',
    // A Buffer is a Uint8Array: no copy.
    value,
    timestamp: Number(message.timestamp),
  };
}

export function toKafkaMessage(record: BusMessage, partition: number): Message {
  const value = record.value;
  return {
    key: record.key,
    value: Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    partition,
  };
}
