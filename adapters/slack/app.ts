/**
 * The Slack adapter: a Bolt App that translates Slack's events into engine calls and Replies into
 * Block Kit. It adds no words of its own to answers and never repeats what a user wrote.
 */
import {
  App,
  type Authorize,
  type Logger as BoltLogger,
  HTTPReceiver,
  LogLevel,
  type Receiver,
  type RespondFn,
  type types,
  webApi,
} from "@slack/bolt";
import { type Health, InFlight, LastAnswers } from "../../src/adapter.js";
import { answerCommand, respond as engineRespond } from "../../src/engine/commands.js";
import type { Engine } from "../../src/engine/engine.js";
import type { Reply } from "../../src/engine/reply.js";
import { describeError, hashId, type Logger } from "../../src/log.js";
import { ACTION, renderHome, renderReply } from "./blocks.js";
import type { SlackConfig } from "./config.js";

export const SHORTCUT_SEND_RESOURCES = "send_support_resources";
const DEDUP_LIMIT = 2000;

export interface SlackAdapterOptions {
  engine: Engine;
  config: SlackConfig;
  log: Logger;
  /** the process's health, for /healthz (every adapter reports to it) */
  health?: Health;
}

/** Bolt's own log lines, reduced to metadata: its messages can carry request details. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const first = (args: unknown[]) =>
    typeof args[0] === "string" ? args[0].split("\n")[0]?.slice(0, 120) : describeError(args[0]);
  return {
    debug: () => {},
    info: () => {},
    warn: (...args) => log.warn({ event: "bolt", adapter: "slack", message: first(args) }),
    error: (...args) => log.error({ event: "bolt", adapter: "slack", error: describeError(args[0]) }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** A set that forgets its oldest entries: enough to recognise Slack's retries of the same event. */
class RecentIds {
  private readonly ids = new Set<string>();
  /** true the first time an id is seen */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > DEDUP_LIMIT) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}

export interface SlackAdapter {
  app: App;
  receiver: Receiver;
  /** the HTTP receiver (HTTP mode only), for its server */
  http?: HTTPReceiver;
  /** stop taking requests, then wait for the handlers still running (their replies) to finish */
  stop: () => Promise<void>;
}

/**
 * Who the bot is (auth.test), asked in the background, one call at a time, and remembered. An
 * incoming request never waits for it: Bolt runs `authorize` before it acks, and Slack allows 3 s.
 * Until the answer is in, requests are authorized with the token alone (slash commands need nothing
 * more); a failed or rate-limited call is tried again later, after Slack's Retry-After where given.
 */
/** Slack's answers that mean the bot token will never work again without a new one. */
const TOKEN_REJECTED = new Set(["invalid_auth", "token_revoked", "account_inactive", "not_authed"]);

function singleWorkspaceAuthorize(
  config: SlackConfig,
  clientOptions: webApi.WebClientOptions,
  log: Logger,
  health?: Health,
): Authorize<boolean> {
  const client = new webApi.WebClient(config.botToken, {
    ...clientOptions,
    // a 429 is an error here, not a wait inside the call: the retry below is scheduled instead
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 3000,
  });
  let identity: { botId?: string; botUserId?: string; teamId?: string } | undefined;
  let asking = false;
  let notBefore = 0;
  const ask = () => {
    if (identity || asking || Date.now() < notBefore) return;
    asking = true;
    client.auth
      .test()
      .then((me) => {
        identity = { botId: me.bot_id, botUserId: me.user_id, teamId: me.team_id };
      })
      .catch((err: unknown) => {
        const platform = (err as { data?: { error?: unknown } }).data?.error;
        if (typeof platform === "string" && TOKEN_REJECTED.has(platform)) {
          health?.fail("slack", `SLACK_BOT_TOKEN rejected by Slack (${platform})`);
        }
        const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
        notBefore = Date.now() + (typeof retryAfter === "number" ? retryAfter * 1000 : 5000);
        log.warn({ event: "auth_test_failed", adapter: "slack", error: describeError(err) });
      })
      .finally(() => {
        asking = false;
      });
  };
  ask();
  return async () => {
    ask();
    return { botToken: config.botToken, ...identity };
  };
}

/** Signatures seen in the last five minutes (Slack refuses older timestamps anyway), at most 20,000. */
class ReplayGuard {
  private readonly seen = new Map<string, number>();
  first(key: string, now = Date.now()): boolean {
    for (const [k, at] of this.seen) {
      if (now - at < 5 * 60_000 && this.seen.size < 20_000) break;
      this.seen.delete(k);
    }
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
  }
}

/**
 * Slack's own payloads are a few kilobytes (a modal submission stays well under 100 KB); anything
 * larger is refused from its Content-Length before a byte of it is read or its signature checked.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Two guards in front of Bolt's HTTP receiver: a body that is too large (or has no declared length)
 * is refused at once, and a payload Slack never sends (a signed JSON `null`) that makes Bolt's
 * listener throw is answered 400 and logged, instead of taking the process down.
 */
function guardRequests(http: HTTPReceiver, log: Logger): void {
  const listener = http.requestListener;
  const replays = new ReplayGuard();
  http.requestListener = (req, res) => {
    if (req.method === "POST") {
      // A byte-identical signed request (same timestamp, same signature) inside Slack's 5-minute
      // window is a replay: acknowledged, never answered or posted twice.
      const signature = req.headers["x-slack-signature"];
      const timestamp = req.headers["x-slack-request-timestamp"];
      if (
        typeof signature === "string" &&
        typeof timestamp === "string" &&
        !replays.first(`${timestamp}:${signature}`)
      ) {
        log.warn({ event: "replay_ignored", adapter: "slack" });
        res.writeHead(200);
        res.end();
        req.resume();
        return;
      }
      const length = Number(req.headers["content-length"]);
      if (!Number.isFinite(length) || length > MAX_BODY_BYTES) {
        log.warn({
          event: "request_refused",
          adapter: "slack",
          reason: Number.isFinite(length) ? "too_large" : "no_length",
        });
        res.writeHead(Number.isFinite(length) ? 413 : 411);
        res.end();
        // whatever the client still sends is read and dropped as it comes, never kept
        req.resume();
        return;
      }
    }
    const handled = listener(req, res) as unknown;
    if (handled instanceof Promise) {
      handled.catch((err: unknown) => {
        log.error({ event: "request_failed", adapter: "slack", error: describeError(err) });
        if (!res.headersSent) {
          res.writeHead(400);
          res.end();
        }
      });
    }
  };
}

export function createSlackApp({ engine, config, log, health }: SlackAdapterOptions): SlackAdapter {
  const logger = boltLogger(log);
  // A chat answer that arrives half an hour later is worse than none: retry briefly, then log and go on.
  const clientOptions: webApi.WebClientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    logger,
    retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    timeout: 10_000,
  };
  const authorize = singleWorkspaceAuthorize(config, clientOptions, log, health);
  let http: HTTPReceiver | undefined;
  let app: App;
  if (config.mode === "socket") {
    app = new App({ authorize, appToken: config.appToken, socketMode: true, logger, clientOptions });
  } else {
    http = new HTTPReceiver({
      signingSecret: config.signingSecret ?? "",
      endpoints: "/slack/events",
      logger,
      customRoutes: [
        {
          path: "/healthz",
          method: ["GET"],
          handler: (_req, res) => {
            const ok = health?.ok ?? true;
            res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
            res.end(JSON.stringify(ok ? { ok } : { ok, failing: health?.reasons() }));
          },
        },
      ],
    });
    guardRequests(http, log);
    app = new App({ authorize, receiver: http, logger, clientOptions });
  }

  const seen = new RecentIds();
  const timed = (event: string, reply: Reply, started: number, ids: { user?: string; team?: string }) =>
    log.info({
      event,
      adapter: "slack",
      kind: reply.kind,
      factId: reply.factId,
      rule: reply.rule,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      user: hashId(ids.user),
      team: hashId(ids.team),
    });
  const failed = (event: string, err: unknown) => log.error({ event, adapter: "slack", error: describeError(err) });

  const last = new LastAnswers();
  // every handler runs inside this, so a shutdown can let the replies in flight finish
  const work = new InFlight();
  app.use(({ next }) => work.track(next()));
  const expired = (respond: RespondFn) =>
    respond({ response_type: "ephemeral", replace_original: false, text: engine.knowledge.replies.expired }).catch(
      (err: unknown) => failed("expired", err),
    );
  // An id no listener knows (an old message's button, a forged payload) is acknowledged at once with
  // "this has expired", instead of Bolt's 404 after 3 s.
  const known = {
    block_actions: new Set<string>(Object.values(ACTION)),
    message_action: new Set<string>([SHORTCUT_SEND_RESOURCES]),
    shortcut: new Set<string>(),
    view_submission: new Set<string>(),
  };
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
    if (known[type].has(id)) return args.next();
    const { ack, respond } = args as unknown as { ack?: () => Promise<void>; respond?: RespondFn };
    await ack?.();
    log.warn({ event: "unknown_id", adapter: "slack", kind: type });
    if (respond) await expired(respond);
  });
  // Slack retries an event it thinks we missed (x-slack-retry-num); answer each event once.
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !seen.add(eventId)) {
      log.info({ event: "retry_skipped", adapter: "slack" });
      return;
    }
    await next();
  });

  app.command("/csec", async ({ command, ack }) => {
    const started = performance.now();
    const conversation = `${command.team_id}:${command.channel_id}:${command.user_id}`;
    const { command: parsed, reply } = answerCommand(engine, command.text, engine.region, last.get(conversation));
    last.remember(conversation, reply);
    // Moderators post resources for others to see; everything else is shown only to the asker.
    const visible = parsed.name === "resources" && !reply.sensitive;
    try {
      await ack({
        response_type: visible ? "in_channel" : "ephemeral",
        ...renderReply(reply, { share: reply.kind === "answer" }),
      });
      timed("slash_command", reply, started, { user: command.user_id, team: command.team_id });
    } catch (err) {
      failed("slash_command", err);
    }
  });

  app.event("app_mention", async ({ event, client }) => {
    const started = performance.now();
    const thread_ts = event.thread_ts ?? event.ts;
    const conversation = `${event.team}:${event.channel}:${thread_ts}:${event.user}`;
    const reply = engineRespond(engine, event.text, engine.region, last.get(conversation));
    last.remember(conversation, reply);
    try {
      if (reply.sensitive && event.user) {
        await client.chat.postEphemeral({ channel: event.channel, user: event.user, thread_ts, ...renderReply(reply) });
      } else {
        await client.chat.postMessage({
          channel: event.channel,
          thread_ts,
          unfurl_links: false,
          ...renderReply(reply),
        });
      }
      timed("mention", reply, started, { user: event.user, team: event.team });
    } catch (err) {
      failed("mention", err);
    }
  });

  app.message(async ({ message, client }) => {
    if (message.channel_type !== "im" || message.subtype !== undefined || !("text" in message)) return;
    if ("bot_id" in message && message.bot_id) return;
    const started = performance.now();
    const conversation = `${message.channel}:${"user" in message ? message.user : ""}`;
    const reply = engineRespond(engine, message.text ?? "", engine.region, last.get(conversation));
    last.remember(conversation, reply);
    try {
      await client.chat.postMessage({ channel: message.channel, unfurl_links: false, ...renderReply(reply) });
      timed("direct_message", reply, started, { user: "user" in message ? message.user : undefined });
    } catch (err) {
      failed("direct_message", err);
    }
  });

  // Share posts an answer for the channel; a related topic is shown privately, and can be shared.
  for (const [actionId, visible] of [
    [ACTION.share, true],
    [ACTION.related, false],
  ] as const) {
    app.action(actionId, async ({ ack, action, respond, body }) => {
      await ack();
      const started = performance.now();
      const factId = "value" in action ? action.value : undefined;
      const reply = factId ? engine.fact(factId) : null;
      if (!reply) {
        await expired(respond);
        return;
      }
      try {
        await respond({
          response_type: visible ? "in_channel" : "ephemeral",
          replace_original: false,
          ...renderReply(reply, { share: !visible }),
        });
        timed(visible ? "share" : "related", reply, started, { user: body.user.id });
      } catch (err) {
        failed(visible ? "share" : "related", err);
      }
    });
  }

  for (const [actionId, helpful] of [
    [ACTION.helpful, true],
    [ACTION.notHelpful, false],
  ] as const) {
    app.action(actionId, async ({ ack, action, respond, body }) => {
      await ack();
      const value = "value" in action ? action.value : undefined;
      // only an id the base knows is logged: a forged value is user-controlled text
      const factId = value && engine.fact(value) ? value : "unknown";
      log.info({ event: "feedback", adapter: "slack", helpful, factId, user: hashId(body.user.id) });
      try {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: "Thanks, your feedback was noted.",
        });
      } catch (err) {
        failed("feedback", err);
      }
    });
  }

  app.shortcut(SHORTCUT_SEND_RESOURCES, async ({ shortcut, ack, client, respond }) => {
    await ack();
    if (shortcut.type !== "message_action") return;
    const started = performance.now();
    const reply = engine.resources();
    try {
      // A reply in the thread of the worrying message, which it never quotes.
      await client.chat.postMessage({
        channel: shortcut.channel.id,
        thread_ts: shortcut.message.thread_ts ?? shortcut.message.ts,
        unfurl_links: false,
        ...renderReply(reply),
      });
      await respond({ response_type: "ephemeral", text: "Support resources were posted in the thread." });
      timed("shortcut", reply, started, { user: shortcut.user.id, team: shortcut.team?.id });
    } catch (err) {
      failed("shortcut", err);
      await respond({ response_type: "ephemeral", text: "Sorry, the resources could not be posted there." }).catch(
        (e: unknown) => failed("shortcut", e),
      );
    }
  });

  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    try {
      const view = renderHome({ help: engine.help().text, topics: engine.topics(), resources: engine.resources() });
      await client.views.publish({ user_id: event.user, view: view as types.HomeView });
      log.info({ event: "app_home", adapter: "slack", user: hashId(event.user) });
    } catch (err) {
      failed("app_home", err);
    }
  });

  app.error(async (err) => failed("bolt_error", err));

  const stop = async () => {
    await app.stop();
    await work.drained();
  };
  return { app, receiver: http ?? (app as unknown as { receiver: Receiver }).receiver, http, stop };
}
