/**
 * What every chat adapter is given at start, like Hubot's Adapter: the shared engine, the environment
 * to read its own configuration from, and the metadata-only logger. Adapters depend on this and the
 * engine, never on each other.
 */
import { createHash } from "node:crypto";
import { BoundedMap } from "./bounded-map.js";
import type { Engine } from "./engine/engine.js";
import { type Reply, ruleName } from "./engine/reply.js";
import { parseRegion } from "./knowledge/regions.js";
import type { RegionCode } from "./knowledge/schema.js";
import { describeError, hashId, type Logger } from "./log.js";
import type { Metrics } from "./metrics.js";
import type { RateLimiter } from "./rate-limit.js";
import type { Store } from "./store/store.js";

export interface AdapterStartOptions {
  engine: Engine;
  env: Record<string, string | undefined>;
  log: Logger;
  /** the process's health, which every adapter reports to and /healthz reads */
  health?: Health;
  /** the process's metrics, for /metrics */
  metrics?: Metrics;
  /** questions per member per community and minute (absent: no limit) */
  rateLimit?: RateLimiter;
  /** community settings, counters, unanswered questions (absent in the terminal chat) */
  store?: Store;
}

/**
 * Whether every configured adapter is serving, for /healthz and the `factbot_adapter_up` gauge.
 * An adapter is expected at start (down until it connects), goes down and up again as its connection
 * drops and resumes (a Slack socket, a Discord shard), and fails for good when its platform will not
 * take it back (a revoked token, a non-resumable gateway close): then /healthz answers 503 with the
 * reason, and when no other adapter is running the process exits non-zero (main.ts).
 */
export class Health {
  private readonly failures = new Map<string, string>();
  private readonly down = new Map<string, string>();
  private readonly listeners: ((adapter: string, reason: string) => void)[] = [];

  constructor(private readonly metrics?: Metrics) {}

  /** A configured adapter that has not connected yet. */
  expect(adapter: string, reason = "starting"): void {
    this.down.set(adapter, reason);
    this.metrics?.up.set({ adapter }, 0);
  }

  connected(adapter: string): void {
    this.down.delete(adapter);
    if (!this.failures.has(adapter)) this.metrics?.up.set({ adapter }, 1);
  }

  /** Lost for now (the library reconnects); counted as a reconnect when it comes back. */
  disconnected(adapter: string, reason: string): void {
    this.down.set(adapter, reason);
    this.metrics?.up.set({ adapter }, 0);
    this.metrics?.reconnects.inc({ adapter });
  }

  fail(adapter: string, reason: string): void {
    this.failures.set(adapter, reason);
    this.metrics?.up.set({ adapter }, 0);
    for (const listener of this.listeners) listener(adapter, reason);
  }

  onFailure(listener: (adapter: string, reason: string) => void): void {
    this.listeners.push(listener);
  }

  get ok(): boolean {
    return this.failures.size === 0 && this.down.size === 0;
  }

  /** "discord: gateway closed 4004" for each adapter that is not serving */
  reasons(): string[] {
    const all = new Map([...this.down, ...this.failures]);
    return [...all].map(([adapter, reason]) => `${adapter}: ${reason}`);
  }
}

/**
 * The last fact each conversation was given, for "tell me more": in memory only, the newest `limit`
 * conversations (a Map keeps insertion order, so the oldest is dropped first). The privacy reply in
 * knowledge/replies.yaml says this is kept; keep the two in step.
 */
export class LastAnswers {
  private readonly facts: BoundedMap<string, string>;
  constructor(limit = 10_000) {
    this.facts = new BoundedMap(limit);
  }

  get(conversation: string): string | null {
    return this.facts.get(conversation) ?? null;
  }

  remember(conversation: string, reply: Reply): void {
    if (reply.factId) this.facts.set(conversation, reply.factId);
  }
}

/** Work in flight (handlers still running), so a shutdown can wait for it before it closes up. */
export class InFlight {
  private running = 0;
  private idle: (() => void)[] = [];

  async track<T>(work: Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work;
    } finally {
      this.running--;
      if (this.running === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Resolves when nothing is running (at once if nothing is). */
  drained(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}

/** Who a request came from, as the platform names them; only one-way hashes reach the log. */
export interface RequestIds {
  user?: string;
  team?: string;
}

/** The metadata-only request log every adapter shares. */
export interface RequestLog {
  /** one handled request: the reply's kind, fact or rule, latency since `started`, hashed ids */
  record(event: string, reply: Reply, started: number, ids?: RequestIds): void;
  /** an error, by name and code only */
  failed(event: string, err: unknown): void;
}

/**
 * `started` is `performance.now()` taken when the request arrived (before the engine ran), so the
 * latency covers the whole handler.
 */
export function requestLog(
  log: Logger,
  adapter: string,
  metrics?: Metrics,
  now: () => number = () => performance.now(),
): RequestLog {
  return {
    record: (event, reply, started, ids = {}) => {
      const ms = now() - started;
      metrics?.replies.inc({ adapter, kind: reply.kind, rule: ruleName(reply.rule) });
      metrics?.latency.observe({ adapter }, ms / 1000);
      log.info({
        event,
        adapter,
        kind: reply.kind,
        factId: reply.factId,
        rule: reply.rule,
        latencyMs: Math.round(ms * 100) / 100,
        user: hashId(ids.user),
        ...(ids.team ? { team: hashId(ids.team) } : {}),
      });
    },
    failed: (event, err) => {
      metrics?.platformError(adapter, err);
      log.error({ event, adapter, error: describeError(err) });
    },
  };
}

/** Replies never withheld by the rate limit: danger first, always. */
const NEVER_LIMITED = new Set<Reply["kind"]>(["urgent", "check_in"]);

/**
 * The rate limit between the engine and the platform: every question counts for its member in its
 * community; past the limit, the reply is a short "please wait" with the emergency line, unless the
 * reply is urgent (or a care-first check-in), which is always sent.
 */
export type QuestionGate = (reply: Reply, ids: RequestIds) => Promise<Reply>;

export function questionGate(
  engine: Engine,
  limiter: RateLimiter | undefined,
  metrics: Metrics | undefined,
  adapter: string,
): QuestionGate {
  return async (reply, ids) => {
    if (!limiter) return reply;
    // a one-way hash (unsalted, so every process agrees), so the store's rows never hold a user id
    const key = createHash("sha256")
      .update(`rate:${ids.team ?? ""}:${ids.user ?? ""}`)
      .digest("hex")
      .slice(0, 24);
    const allowed = await limiter.take(key);
    if (allowed || NEVER_LIMITED.has(reply.kind)) return reply;
    metrics?.rateLimited.inc({ adapter });
    return engine.rateLimited(reply.region);
  };
}

/** A region button: the region, and what to show again for it (the route, variant and rule; never words). */
export interface RegionChoice {
  code: RegionCode;
  name: string;
  /** "UK|urgent|adult|classifier:urgent" */
  value: string;
}

/** The region picker's buttons for a reply, every region but the one it already shows. */
export function regionChoices(engine: Engine, reply: Reply): RegionChoice[] {
  const route = reply.safety === "urgent" || reply.safety === "help_seeking" ? reply.safety : "resources";
  const rule = ruleName(reply.rule);
  return (Object.entries(engine.knowledge.resources.regions) as [RegionCode, { name: string }][])
    .filter(([code]) => code !== reply.region)
    .map(([code, r]) => ({ code, name: r.name, value: [code, route, reply.variant ?? "", rule].join("|") }));
}

/** A region button's value, checked: only a known region and route get through. */
export function parseRegionChoice(
  value: string,
): { region: RegionCode; route: string; variant: "adult" | "young_person" | null; rule: string } | null {
  const [code = "", route = "", variant = "", rule = ""] = value.split("|");
  const region = parseRegion(code);
  if (!region || !["urgent", "help_seeking", "resources"].includes(route)) return null;
  return {
    region,
    route,
    variant: variant === "adult" || variant === "young_person" ? variant : null,
    rule: rule.replace(/[^\w:.-]/g, "").slice(0, 60),
  };
}
