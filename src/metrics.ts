/**
 * The process's Prometheus metrics (prom-client), served at /metrics. One registry per process (not
 * prom-client's global one), so tests can build several. Labels are bounded sets only: adapters, reply
 * kinds, rule ids from safety.yaml and the model, error kinds; never a user, a message or a fact id
 * sent by a client.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export class Metrics {
  readonly registry = new Registry();
  readonly replies = new Counter({
    name: "factbot_replies_total",
    help: "Replies sent, by adapter, reply kind and the safety rule that routed them ('' for retrieval)",
    labelNames: ["adapter", "kind", "rule"] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: "factbot_reply_seconds",
    help: "Time from a request's arrival to its reply being handed to the platform, by adapter",
    labelNames: ["adapter"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly platformErrors = new Counter({
    name: "factbot_platform_errors_total",
    help: "Failed calls to a platform's Web API or REST, by adapter and kind (rate_limited or error)",
    labelNames: ["adapter", "kind"] as const,
    registers: [this.registry],
  });
  readonly reconnects = new Counter({
    name: "factbot_reconnects_total",
    help: "Connections lost and re-established (Slack socket, Discord shard), by adapter",
    labelNames: ["adapter"] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: "factbot_rate_limited_total",
    help: "Questions not answered because the member asked too many too quickly, by adapter",
    labelNames: ["adapter"] as const,
    registers: [this.registry],
  });
  readonly storeErrors = new Counter({
    name: "factbot_store_errors_total",
    help: "Failed reads or writes of the store",
    registers: [this.registry],
  });
  readonly up = new Gauge({
    name: "factbot_adapter_up",
    help: "1 while an adapter is connected and serving, else 0",
    labelNames: ["adapter"] as const,
    registers: [this.registry],
  });

  constructor(options: { process?: boolean } = {}) {
    if (options.process !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** A platform call failed: counted as rate_limited when the platform said so (429), else error. */
  platformError(adapter: string, err: unknown): void {
    const e = (err ?? {}) as { code?: unknown; statusCode?: unknown; status?: unknown };
    const limited = e.code === "slack_webapi_rate_limited_error" || e.status === 429 || e.statusCode === 429;
    this.platformErrors.inc({ adapter, kind: limited ? "rate_limited" : "error" });
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
