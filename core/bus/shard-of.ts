// Which signals partition (correlation shard) a key belongs to. detect shards its
// matches by rule and group; a unit's sources (its silence and future times) belong to
// the partition of the unit's id, and ingest sends an agent's heartbeats there, so the
// one correlate replica that watches the unit hears them. Both sides must hash alike,
// across processes and versions: hence one function here, in core.

/** The shard (0 ≤ shard < shards) a key belongs to: FNV-1a, stable across processes and versions. */
export function shardOf(key: string, shards: number): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return (hash >>> 0) % shards;
}

/** The signals partition whose correlator watches this unit's sources. */
export function unitShard(unitId: string, shards: number): number {
  return shardOf(unitId, shards);
}
