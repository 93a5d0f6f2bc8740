/**
 * The Slack adapter: a Bolt App that translates Slack's events into engine calls and Replies into
 * Block Kit. This file builds the app (receiver, authorization, guards, middleware); the listeners
 * live in listeners/, one file each. It adds no words of its own to answers and never repeats what a
 * user wrote.
 */
import { App, HTTPReceiver, type Receiver, type RespondFn, SocketModeReceiver, type webApi } from "@slack/bolt";
import { type Health, InFlight, LastAnswers, questionGate, requestLog } from "../../src/adapter.js";
import { BoundedMap } from "../../src/bounded-map.js";
import { Communities } from "../../src/communities.js";
import type { Engine } from "../../src/engine/engine.js";
import { serveHealth } from "../../src/health-server.js";
import { describeError, type Logger } from "../../src/log.js";
import type { Metrics } from "../../src/metrics.js";
import type { RateLimiter } from "../../src/rate-limit.js";
import type { Store } from "../../src/store/store.js";
import { singleWorkspaceAuthorize } from "./auth.js";
import { boltLogger } from "./bolt-logger.js";
import type { SlackConfig } from "./config.js";
import { guardRequests, MemorySeen, type SeenIds, StoreSeen } from "./guards.js";
import { KNOWN_IDS, KNOWN_PREFIXES, registerListeners } from "./listeners/index.js";

export { MAX_BODY_BYTES } from "./guards.js";
export { SHORTCUT_SEND_RESOURCES } from "./listeners/shortcuts/send-resources.js";

export interface SlackAdapterOptions {
  engine: Engine;
  config: SlackConfig;
  log: Logger;
  /** the process's health, for /healthz (every adapter reports to it) */
  health?: Health;
  /** the process's metrics, for /metrics and the request log */
  metrics?: Metrics;
  /** questions per member per community and minute; an urgent reply is never withheld */
  rateLimit?: RateLimiter;
  /** settings, counters and unanswered questions per workspace; without it, the environment's settings */
  store?: Store;
}

export interface SlackAdapter {
  app: App;
  receiver: Receiver;
  /** the HTTP receiver (HTTP mode only), for its server */
  http?: HTTPReceiver;
  /** stop taking requests, then wait for the handlers still running (their replies) to finish */
  stop: () => Promise<void>;
}

export function createSlackApp({
  engine,
  config,
  log,
  health,
  metrics,
  rateLimit,
  store,
}: SlackAdapterOptions): SlackAdapter {
  const logger = boltLogger(log);
  // A chat answer that arrives half an hour later is worse than none: retry briefly, then log and go on.
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    logger,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    timeout: 10_000,
  };
  const authorize = singleWorkspaceAuthorize(config, clientOptions, log, health);
  // Ids already handled: shared through PostgreSQL when several processes serve, else in memory.
  const seen: SeenIds =
    store?.kind === "postgres"
      ? new StoreSeen(store, (err) => {
          metrics?.storeErrors.inc();
          log.error({ event: "store_failed", action: "seen", error: describeError(err) });
        })
      : new MemorySeen();
  let http: HTTPReceiver | undefined;
  let app: App;
  if (config.mode === "socket") {
    // the Web API options (SLACK_API_URL, retries) reach the socket client through installerOptions,
    // as Bolt passes them when it builds this receiver itself
    const socket = new SocketModeReceiver({
      appToken: config.appToken ?? "",
      logger,
      installerOptions: { clientOptions },
    });
    // honest health: serving only while the socket is open; Bolt's client reconnects by itself
    socket.client.on("connected", () => health?.connected("slack"));
    // "close" is the WebSocket closing; the client then reconnects by itself (no "disconnected" event)
    socket.client.on("close", () => health?.disconnected("slack", "socket closed, reconnecting"));
    app = new App({ authorize, receiver: socket, logger, clientOptions });
  } else {
    http = new HTTPReceiver({
      signingSecret: config.signingSecret ?? "",
      endpoints: "/slack/events",
      logger,
      customRoutes: ["/healthz", "/metrics"].map((path) => ({
        path,
        method: ["GET"],
        handler: (req, res) => {
          serveHealth(req, res, health, metrics);
        },
      })),
    });
    guardRequests(http, log, seen);
    app = new App({ authorize, receiver: http, logger, clientOptions });
  }

  const requests = requestLog(log, "slack", metrics);
  const { failed } = requests;

  const last = new LastAnswers();
  // every handler runs inside this, so a shutdown can let the replies in flight finish
  const work = new InFlight();
  app.use(({ next }) => work.track(next()));
  const expired = async (respond: RespondFn): Promise<void> => {
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: engine.knowledge.replies.expired,
    }).catch((err: unknown) => failed("expired", err));
  };
  // An id no listener knows (an old message's button, a forged payload) is acknowledged at once with
  // "this has expired", instead of Bolt's 404 after 3 s.
  const known = KNOWN_IDS;
  app.use(async (args) => {
    const body = args.body as {
      type?: string;
      actions?: { action_id?: string }[];
      callback_id?: string;
      view?: { callback_id?: string };
    };
    const type = body.type as keyof typeof known | undefined;
    if (!type || !(type in known)) return args.next();
    const id = body.actions?.[0]?.action_id ?? body.callback_id ?? body.view?.callback_id ?? "";
    const prefixes: readonly string[] = type === "block_actions" ? KNOWN_PREFIXES.block_actions : [];
    if (known[type].has(id) || prefixes.some((p) => id.startsWith(p))) return args.next();
    const { ack, respond } = args as unknown as { ack?: () => Promise<void>; respond?: RespondFn };
    await ack?.();
    log.warn({ event: "unknown_id", adapter: "slack", kind: type });
    if (respond) await expired(respond);
  });
  // Slack retries an event it thinks we missed (x-slack-retry-num); answer each event once.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !(await seen.first(`event:${eventId}`))) {
      log.info({ event: "retry_skipped", adapter: "slack" });
      return;
    }
    await next();
  });

  const communities = new Communities(engine, log, store, metrics);
  registerListeners(app, {
    engine,
    log,
    communities,
    last,
    lastQuestions: new BoundedMap<string, string>(10_000),
    expired,
    gate: questionGate(engine, rateLimit, metrics, "slack"),
    ...requests,
  });

  app.error(async (err) => failed("bolt_error", err));

  const stop = async () => {
    await app.stop();
    await work.drained();
  };
  return { app, receiver: http ?? (app as unknown as { receiver: Receiver }).receiver, http, stop };
}
