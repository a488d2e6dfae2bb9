// Which partition a keyed record lands in when the publisher names none: Kafka's own
// default (murmur2 of the key bytes, made positive, modulo the partition count), so the
// embedded and the Kafka adapters put the same key in the same partition, and a topic
// written by other Kafka clients with the default partitioner agrees with ours.

import { VigilError } from '../errors.ts';
import type { BusMessage } from '../ports/bus.ts';

const encoder = new TextEncoder();

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), as a signed 32-bit int. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i += 1) {
    const i4 = i * 4;
    let k = data[i4]! | (data[i4 + 1]! << 8) | (data[i4 + 2]! << 16) | (data[i4 + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  // Java's switch falls through from 3 to 2 to 1; the same as three ifs.
  const rest = length % 4;
  if (rest >= 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(encoder.encode(key)) & 0x7fffffff) % partitions;
}

/** The partition a record goes to: the one it names (checked), else its key's. */
export function choosePartition(topic: string, record: BusMessage, partitions: number, index: number): number {
  if (record.partition === undefined) return partitionForKey(record.key, partitions);
  if (!Number.isInteger(record.partition) || record.partition < 0 || record.partition >= partitions) {
    throw new VigilError('invalid_partition', `record ${index} for ${topic} names partition ${record.partition}, but ${topic} has ${partitions}`, 'bus');
  }
  return record.partition;
}
