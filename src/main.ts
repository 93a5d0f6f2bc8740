/**
 * `npm start`: starts every adapter whose configuration is present (Slack with SLACK_BOT_TOKEN,
 * Discord with DISCORD_TOKEN); with neither, opens the terminal chat. This is the composition root:
 * the only module that knows about both the engine and the adapters.
 */
import { startConsoleChat } from "../adapters/console/chat.js";
import { Health } from "./adapter.js";
import { engineFromEnv } from "./bootstrap.js";
import { ConfigError, checkVariableNames, ProcessEnvSchema, parseEnv } from "./config.js";
import { startHealthServer } from "./health-server.js";
import { KnowledgeError } from "./knowledge/load.js";
import { createLogger, describeError } from "./log.js";
import { Metrics } from "./metrics.js";
import { SlidingWindowLimiter, StoreLimiter } from "./rate-limit.js";
import { onShutdown, type Stop } from "./shutdown.js";
import { openStore } from "./store/open.js";

/** A start-up failure, already put as one line naming the variable or resource and the reason. */
class StartError extends Error {}

const NETWORK = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "ETIMEDOUT",
  "ECONNRESET",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Which variable or resource a start-up error is about, and why; never a value. */
function startFailure(adapter: "slack" | "discord", err: unknown, env: Record<string, string | undefined>): string {
  const e = (err ?? {}) as { code?: unknown; data?: { error?: unknown }; cause?: { code?: unknown } };
  const code = typeof e.code === "string" ? e.code : typeof e.cause?.code === "string" ? e.cause.code : "";
  if (code === "EADDRINUSE") return "PORT: the port is already in use (EADDRINUSE)";
  if (code === "EACCES") return "PORT: not allowed to listen on that port (EACCES)";
  if (adapter === "slack") {
    const platform = typeof e.data?.error === "string" ? e.data.error : "";
    if (platform) {
      const variable = env.SLACK_APP_TOKEN ? "SLACK_APP_TOKEN" : "SLACK_BOT_TOKEN";
      return `${variable}: rejected by Slack (${platform})`;
    }
    if (NETWORK.has(code)) return `${env.SLACK_API_URL ? "SLACK_API_URL" : "Slack's API"}: cannot be reached (${code})`;
  } else {
    if (code === "TokenInvalid") return "DISCORD_TOKEN: rejected by Discord (TokenInvalid)";
    if (NETWORK.has(code) || /fetch failed/i.test((err as Error)?.message ?? "")) {
      return `${env.DISCORD_API_URL ? "DISCORD_API_URL" : "Discord's API"}: cannot be reached (${code || "fetch failed"})`;
    }
  }
  return `${adapter}: failed to start (${describeError(err)})`;
}

function asStartError(adapter: "slack" | "discord", err: unknown, env: Record<string, string | undefined>): Error {
  return err instanceof ConfigError ? err : new StartError(startFailure(adapter, err, env));
}

async function run(): Promise<void> {
  const env = process.env;
  const engine = await engineFromEnv(env);
  const processEnv = parseEnv(ProcessEnvSchema, env);
  const log = createLogger();
  const metrics = new Metrics();
  const health = new Health(metrics);
  const store = env.SLACK_BOT_TOKEN || env.DISCORD_TOKEN ? await startStore(env, log) : undefined;
  const limit = processEnv.FACTBOT_RATE_LIMIT;
  // one process: counted in memory; several on one PostgreSQL: counted in it, so the limit holds across them
  const rateLimit =
    limit <= 0
      ? undefined
      : store?.kind === "postgres"
        ? new StoreLimiter(store, limit, (err) => {
            metrics.storeErrors.inc();
            log.error({ event: "store_failed", action: "rate_limit", error: describeError(err) });
          })
        : new SlidingWindowLimiter(limit);
  const shared = { engine, env, log, health, metrics, rateLimit, store };
  const starting: Promise<Stop>[] = [];
  if (env.SLACK_BOT_TOKEN) health.expect("slack");
  if (env.DISCORD_TOKEN) health.expect("discord");
  // Every mode can be watched: Slack HTTP mode serves /healthz and /metrics on PORT, and HEALTH_PORT
  // serves them on their own (Socket Mode, Discord, or both).
  const healthServer =
    processEnv.HEALTH_PORT !== undefined
      ? await startHealthServer(processEnv.HEALTH_PORT, health, metrics).catch((err: unknown) => {
          const code = (err as { code?: unknown }).code;
          throw new StartError(`HEALTH_PORT: cannot listen (${typeof code === "string" ? code : "error"})`);
        })
      : undefined;
  if (env.SLACK_BOT_TOKEN) {
    const { startSlack } = await import("../adapters/slack/start.js");
    starting.push(
      startSlack(shared)
        .then((adapter) => adapter.stop)
        .catch((err: unknown) => Promise.reject(asStartError("slack", err, env))),
    );
  }
  if (env.DISCORD_TOKEN) {
    const { startDiscord } = await import("../adapters/discord/start.js");
    const { stopDiscordClient } = await import("../adapters/discord/client.js");
    starting.push(
      startDiscord(shared)
        .then((running) =>
          "destroy" in running
            ? () => stopDiscordClient(running)
            : () => Promise.all(running.shards.map((shard) => Promise.resolve(shard.kill()))),
        )
        .catch((err: unknown) => Promise.reject(asStartError("discord", err, env))),
    );
  }
  if (starting.length === 0) {
    checkVariableNames(env);
    healthServer?.close();
    await startConsoleChat({ engine, input: process.stdin, output: process.stdout });
    return;
  }
  guardProcess(log);
  const adapters = starting.length;
  // An adapter lost for good: with another still serving, /healthz says so (503); alone, exit 1.
  health.onFailure((adapter) => {
    if (adapters === 1) {
      log.error({ event: "exiting", adapter, reason: "the only adapter can no longer serve" });
      process.exit(1);
    }
  });
  const stops = await Promise.all(starting);
  if (store) {
    // unanswered questions are kept at most 30 days, and handled ids an hour: purged at start and hourly
    const hourly = setInterval(() => void store.purge().catch((err: unknown) => storeFailed(log, err)), 3_600_000);
    hourly.unref();
    stops.push(async () => {
      clearInterval(hourly);
      await store.close();
    });
  }
  if (healthServer) {
    log.info({ event: "health_server", port: processEnv.HEALTH_PORT });
    stops.push(() => new Promise<void>((resolve) => healthServer.close(() => resolve())));
  }
  onShutdown(stops, log);
}

/** The store (SQLite by default, PostgreSQL with DATABASE_URL), migrated and purged, or a start-up error naming it. */
async function startStore(env: Record<string, string | undefined>, log: ReturnType<typeof createLogger>) {
  const variable = env.DATABASE_URL ? "DATABASE_URL" : "FACTBOT_DB";
  try {
    const store = await openStore(env);
    const purged = await store.purge();
    log.info({ event: "store_opened", kind: store.kind, purged });
    return store;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new StartError(
      `${variable}: the store cannot be opened (${typeof code === "string" ? code : describeError(err)})`,
    );
  }
}

function storeFailed(log: ReturnType<typeof createLogger>, err: unknown): void {
  log.error({ event: "store_failed", action: "purge", error: describeError(err) });
}

/**
 * The last guard: a payload the platforms never send can still make a library throw outside any
 * handler of ours (Bolt's receiver on a signed JSON `null`). It is logged, by message and code only,
 * and dropped; the bot keeps answering everyone else.
 */
function guardProcess(log: ReturnType<typeof createLogger>): void {
  process.on("unhandledRejection", (err) => log.error({ event: "unhandled_rejection", error: describeError(err) }));
  process.on("uncaughtException", (err) => log.error({ event: "uncaught_exception", error: describeError(err) }));
}

export async function main(): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof KnowledgeError || err instanceof StartError) {
      process.stderr.write(`factbot: ${err.message}\n`);
    } else {
      process.stderr.write(`factbot: failed to start (${(err as Error)?.name ?? "error"})\n`);
    }
    process.exit(1);
  }
}
