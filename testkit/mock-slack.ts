/**
 * A local stand-in for Slack: the Web API (what Bolt's WebClient calls through
 * clientOptions.slackApiUrl), response_url endpoints, and a Socket Mode WebSocket. It records every
 * call so tests can assert on what the real Bolt App sent.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { Waiter } from "./waiter.js";

export interface ApiCall {
  method: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON
  body: Record<string, any>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return raw;
}

// biome-ignore lint/suspicious/noExplicitAny: decoded form or JSON
function decode(raw: string, type: string | undefined): Record<string, any> {
  if (type?.includes("application/json")) return raw ? JSON.parse(raw) : {};
  const params = new URLSearchParams(raw);
  // biome-ignore lint/suspicious/noExplicitAny: form fields, some JSON-encoded
  const out: Record<string, any> = {};
  for (const [k, v] of params) {
    try {
      out[k] = k === "blocks" || k === "view" ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}

export class MockSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ApiCall[] = [];
  /** method -> the error Slack should answer with (ok:false) */
  readonly failing = new Map<string, string>();
  /** method -> milliseconds to wait before answering (a slow Slack) */
  readonly delays = new Map<string, number>();
  /** method -> seconds of Retry-After in a 429 answer (a rate-limited Slack) */
  readonly rateLimited = new Map<string, number>();
  /** response_url paths that answer 500 */
  failResponseUrls = false;
  /** user ids users.info reports as workspace admins */
  readonly admins = new Set<string>();
  private server: Server;
  private wss: WebSocketServer | undefined;
  socket: WebSocket | undefined;
  private readonly waiter = new Waiter();
  port = 0;

  constructor() {
    this.server = createServer(async (req, res) => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? "/", "http://localhost");
      const body = decode(raw, req.headers["content-type"]);
      if (url.pathname.startsWith("/response/")) {
        this.responses.push({ method: url.pathname, body });
        this.notify();
        res.writeHead(this.failResponseUrls ? 500 : 200, { "content-type": "text/plain" });
        res.end(this.failResponseUrls ? "error" : "ok");
        return;
      }
      const method = url.pathname.replace(/^\/api\//, "");
      this.calls.push({ method, body });
      this.notify();
      const delay = this.delays.get(method);
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const retryAfter = this.rateLimited.get(method);
      if (retryAfter !== undefined) {
        res.writeHead(429, { "content-type": "application/json", "retry-after": String(retryAfter) });
        res.end(JSON.stringify({ ok: false, error: "ratelimited" }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      const error = this.failing.get(method);
      if (error) {
        res.end(JSON.stringify({ ok: false, error }));
        return;
      }
      switch (method) {
        case "auth.test":
          res.end(JSON.stringify({ ok: true, user_id: "UBOT", bot_id: "BBOT", team_id: "T1", user: "factbot" }));
          return;
        case "apps.connections.open":
          res.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${this.port}/socket` }));
          return;
        case "chat.postMessage":
          res.end(JSON.stringify({ ok: true, channel: body.channel, ts: `${Date.now() / 1000}` }));
          return;
        case "users.info": {
          const id = String(body.user ?? "");
          const admin = this.admins.has(id);
          res.end(JSON.stringify({ ok: true, user: { id, is_admin: admin, is_owner: false } }));
          return;
        }
        case "chat.getPermalink":
          res.end(
            JSON.stringify({
              ok: true,
              permalink: `https://example.slack.com/archives/${body.channel}/p${String(body.message_ts).replace(".", "")}`,
            }),
          );
          return;
        default:
          res.end(JSON.stringify({ ok: true }));
      }
    });
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/response/${id}`;
  }

  async start(withSocket = false): Promise<void> {
    if (withSocket) {
      this.wss = new WebSocketServer({ server: this.server, path: "/socket" });
      this.wss.on("connection", (ws) => {
        this.socket = ws;
        ws.send(JSON.stringify({ type: "hello", num_connections: 1, debug_info: { host: "mock" } }));
        this.notify();
      });
    }
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    this.wss?.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    this.waiter.notify();
  }

  waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return this.waiter.waitFor(probe, timeoutMs, "the mock Slack");
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }
}

/** Post `/csec text` to a Bolt app as Slack does: a signed form with a response_url on this mock. */
export function postSlashCommand(
  slack: MockSlack,
  url: string,
  secret: string,
  text: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  const body = new URLSearchParams({
    token: "x",
    team_id: "T1",
    channel_id: "C1",
    channel_name: "general",
    user_id: "U1",
    user_name: "vol",
    command: "/csec",
    text,
    response_url: slack.responseUrl("slash"),
    trigger_id: "trig",
    ...extra,
  }).toString();
  return fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/x-www-form-urlencoded", ...signedHeaders(secret, body) },
  });
}

/** Headers Slack sends with a request, signed with the signing secret. */
export function signedHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "x-slack-request-timestamp": String(timestamp), "x-slack-signature": signature };
}
