// Deterministic randomness for the simulator and the benchmarks: one seed gives the same
// province, the same background and the same scenarios, so a run can be repeated.

/** A small deterministic PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** An item chosen by weight: `[weight, item]` pairs. */
export function pickWeighted<T>(items: readonly (readonly [number, T])[], random: () => number): T {
  const total = items.reduce((sum, [weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [weight, item] of items) {
    roll -= weight;
    if (roll < 0) return item;
  }
  return items.at(-1)![1];
}

/** A Poisson-distributed count with mean `mean` (Knuth for small means, normal beyond). */
export function poisson(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const u = Math.max(random(), 1e-12);
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
  }
  const limit = Math.exp(-mean);
  let count = 0;
  let product = random();
  while (product > limit) {
    count += 1;
    product *= random();
  }
  return count;
}

/** A UUID-shaped id drawn from `random`, so event ids repeat with the seed. */
export function seededId(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
