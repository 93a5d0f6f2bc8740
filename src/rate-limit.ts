/**
 * Questions per member per community: at most `limit` in any `windowMs` (a sliding window). In memory,
 * per process; the newest `maxKeys` members are remembered (a Map keeps insertion order, so the one
 * not seen for longest is dropped first).
 */
import type { Store } from "./store/store.js";
export interface RateLimiter {
  /** Count one question for `key`; false when it is over the limit. */
  take(key: string, now?: number): boolean | Promise<boolean>;
}

/**
 * The same limit held across processes, in the store (PostgreSQL when several instances serve). A
 * store that fails lets the question through: the limit is for floods, never a reason to go silent.
 */
export class StoreLimiter implements RateLimiter {
  constructor(
    private readonly store: Store,
    readonly limit: number,
    private readonly onError: (err: unknown) => void,
    readonly windowMs = 60_000,
  ) {}

  async take(key: string): Promise<boolean> {
    try {
      return await this.store.hit(key, this.limit, this.windowMs);
    } catch (err) {
      this.onError(err);
      return true;
    }
  }
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
