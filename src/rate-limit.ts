/**
 * Questions per member per community: at most `limit` in any `windowMs` (a sliding window). In memory,
 * per process; the newest `maxKeys` members are remembered (a Map keeps insertion order, so the one
 * not seen for longest is dropped first).
 */
export interface RateLimiter {
  /** Count one question for `key`; false when it is over the limit. */
  take(key: string, now?: number): boolean;
}

export class SlidingWindowLimiter implements RateLimiter {
  private readonly seen = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly maxKeys = 50_000,
  ) {}

  take(key: string, now = Date.now()): boolean {
    const times = (this.seen.get(key) ?? []).filter((t) => now - t < this.windowMs);
    const allowed = times.length < this.limit;
    if (allowed) times.push(now);
    this.seen.delete(key);
    this.seen.set(key, times);
    if (this.seen.size > this.maxKeys) this.seen.delete(this.seen.keys().next().value as string);
    return allowed;
  }
}
