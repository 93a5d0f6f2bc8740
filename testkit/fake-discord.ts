/**
 * A local stand-in for Discord: the REST API (what discord.js calls through rest.api, gateway discovery
 * included) and a gateway over `ws` speaking the real protocol (HELLO, IDENTIFY, READY, heartbeats,
 * RESUME). Tests dispatch events through it and read what the real Client sent back.
 */

import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { Waiter } from "./waiter.js";

export const APP_ID = "100000000000000001";
export const BOT_ID = "100000000000000001";
export const GUILD_ID = "200000000000000001";
export const CHANNEL_ID = "300000000000000001";
export const DM_CHANNEL_ID = "300000000000000009";
export const USER_ID = "400000000000000001";

export interface RestCall {
  method: string;
  path: string;
  // biome-ignore lint/suspicious/noExplicitAny: recorded JSON
  body: any;
}

const user = (id: string, name: string, bot = false) => ({
  id,
  username: name,
  discriminator: "0",
  global_name: name,
  avatar: null,
  bot,
});

export class FakeDiscord {
  readonly calls: RestCall[] = [];
  readonly identifies: unknown[] = [];
  readonly resumes: unknown[] = [];
  /** REST paths (regex) that answer 500 */
  readonly failing: RegExp[] = [];
  private server: Server;
  private wss: WebSocketServer;
  private socket: WebSocket | undefined;
  private seq = 0;
  private sessionId = "session-1";
  private readonly waiter = new Waiter();
  private nextId = 500000000000000000n;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({ server: this.server, path: "/gateway" });
    this.wss.on("connection", (ws) => this.onConnection(ws));
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  id(): string {
    this.nextId += 1n;
    return String(this.nextId);
  }

  private async handle(req: IncomingMessage, res: import("node:http").ServerResponse): Promise<void> {
    let raw = "";
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/^\/api\/v\d+/, "");
    let body: unknown = raw;
    if (req.headers["content-type"]?.includes("application/json") && raw) body = JSON.parse(raw);
    else if (req.headers["content-type"]?.includes("multipart/form-data")) {
      const json = /name="payload_json"\r\n(?:Content-Type: application\/json\r\n)?\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1];
      body = json ? JSON.parse(json) : raw;
    }
    this.calls.push({ method: req.method ?? "GET", path, body });
    this.notify();
    const send = (status: number, json: unknown) => {
      if (status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(json));
    };
    if (this.failing.some((re) => re.test(path))) return send(500, { message: "Internal Server Error", code: 0 });
    if (this.tokenRejected) return send(401, { message: "401: Unauthorized", code: 0 });
    if (req.method === "GET" && path === "/gateway/bot") {
      return send(200, {
        url: `ws://127.0.0.1:${this.port}/gateway`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
      });
    }
    if (req.method === "POST" && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) return send(204, null);
    const channelMessages = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (req.method === "POST" && channelMessages) {
      return send(200, this.message(channelMessages[1] as string, user(BOT_ID, "factbot", true), ""));
    }
    if (req.method === "PUT" && /^\/applications\/\d+\/(guilds\/\d+\/)?commands$/.test(path)) {
      return send(
        200,
        (body as unknown[]).map((c, i) => ({
          ...(c as object),
          id: String(900 + i),
          application_id: APP_ID,
          version: "1",
        })),
      );
    }
    if (req.method === "POST" && path === `/users/@me/channels`) {
      return send(200, { id: DM_CHANNEL_ID, type: 1, recipients: [user(USER_ID, "member")] });
    }
    send(404, { message: "Unknown", code: 0 });
  }

  /** each connection's shard, from its IDENTIFY ([id, count]) */
  readonly shards = new Map<WebSocket, [number, number]>();

  private onConnection(ws: WebSocket): void {
    this.socket = ws;
    ws.on("close", () => this.shards.delete(ws));
    ws.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 45_000 }, s: null, t: null }));
    ws.on("message", (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.op === 1) ws.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
      if (msg.op === 2) {
        this.identifies.push(msg.d);
        const shard: [number, number] = msg.d.shard ?? [0, 1];
        this.shards.set(ws, shard);
        this.socket = ws;
        this.dispatch("READY", {
          v: 10,
          user: user(BOT_ID, "factbot", true),
          guilds: [{ id: GUILD_ID, unavailable: true }],
          session_id: this.sessionId,
          resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway`,
          shard,
          application: { id: APP_ID, flags: 0 },
        });
        this.dispatch("GUILD_CREATE", this.guild());
      }
      if (msg.op === 6) {
        this.resumes.push(msg.d);
        this.dispatch("RESUMED", {});
      }
      this.notify();
    });
  }

  private guild() {
    return {
      id: GUILD_ID,
      name: "Volunteers",
      icon: null,
      owner_id: USER_ID,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: GUILD_ID,
          name: "@everyone",
          permissions: "1024",
          position: 0,
          color: 0,
          hoist: false,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: "en-US",
      nsfw_level: 0,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 2,
      members: [],
      voice_states: [],
      presences: [],
      threads: [],
      stage_instances: [],
      guild_scheduled_events: [],
      channels: [
        { id: CHANNEL_ID, type: 0, name: "general", position: 0, permission_overwrites: [], guild_id: GUILD_ID },
      ],
    };
  }

  dispatch(t: string, d: unknown): void {
    this.seq += 1;
    this.socket?.send(JSON.stringify({ op: 0, t, s: this.seq, d }));
  }

  /** Send the next dispatches to the connection of shard `id` (several processes, one shard each). */
  useShard(id: number): boolean {
    for (const [ws, [shard]] of this.shards) {
      if (shard === id) {
        this.socket = ws;
        return true;
      }
    }
    return false;
  }

  /** Answer every REST call 401, as Discord does for a token it does not accept. */
  tokenRejected = false;

  /** Close the gateway as Discord does when the bot's token is revoked: not resumable. */
  revokeToken(): void {
    this.socket?.close(4004, "Authentication failed.");
  }

  /** Close the gateway connection as Discord does on a restart; the client should RESUME. */
  dropConnection(): void {
    this.socket?.close(4000, "Unknown error");
  }

  message(channelId: string, author: ReturnType<typeof user>, content: string, extra: Record<string, unknown> = {}) {
    return {
      id: this.id(),
      channel_id: channelId,
      author,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      pinned: false,
      type: 0,
      flags: 0,
      components: [],
      ...extra,
    };
  }

  member() {
    return {
      user: user(USER_ID, "member"),
      roles: [],
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      permissions: "8",
    };
  }

  /** An INTERACTION_CREATE; returns its id and token, to find the callback. */
  interaction(type: number, data: unknown, extra: Record<string, unknown> = {}): { id: string; token: string } {
    const id = this.id();
    const token = `tok-${id}`;
    this.dispatch("INTERACTION_CREATE", {
      id,
      application_id: APP_ID,
      type,
      data,
      guild_id: GUILD_ID,
      channel_id: CHANNEL_ID,
      channel: { id: CHANNEL_ID, type: 0, guild_id: GUILD_ID, name: "general" },
      member: this.member(),
      token,
      version: 1,
      app_permissions: "8",
      locale: "en-US",
      guild_locale: "en-US",
      entitlements: [],
      authorizing_integration_owners: { "0": GUILD_ID },
      context: 0,
      attachment_size_limit: 8388608,
      ...extra,
    });
    return { id, token };
  }

  /** /csec SUB with options */
  slash(sub: string, options: { name: string; value: string; focused?: boolean }[] = [], type = 2) {
    return this.interaction(type, {
      id: "900",
      name: "csec",
      type: 1,
      options: [{ name: sub, type: 1, options: options.map((o) => ({ type: 3, ...o })) }],
    });
  }

  button(customId: string) {
    return this.interaction(
      3,
      { custom_id: customId, component_type: 2 },
      { message: this.message(CHANNEL_ID, user(BOT_ID, "factbot", true), "", { flags: 64 }) },
    );
  }

  contextMenu(target: ReturnType<FakeDiscord["message"]>) {
    return this.interaction(2, {
      id: "901",
      name: "Send support resources",
      type: 3,
      target_id: target.id,
      resolved: { messages: { [target.id]: target } },
    });
  }

  userMessage(content: string, opts: { dm?: boolean; mentionBot?: boolean } = {}) {
    const author = user(USER_ID, "member");
    const msg = this.message(opts.dm ? DM_CHANNEL_ID : CHANNEL_ID, author, content, {
      channel_type: opts.dm ? 1 : 0,
      mentions: opts.mentionBot ? [user(BOT_ID, "factbot", true)] : [],
      ...(opts.dm
        ? {}
        : {
            guild_id: GUILD_ID,
            member: { roles: [], joined_at: new Date().toISOString(), deaf: false, mute: false, flags: 0 },
          }),
    });
    this.dispatch("MESSAGE_CREATE", msg);
    return msg;
  }

  callback(ref: { id: string; token: string }): RestCall | undefined {
    return this.calls.find((c) => c.path === `/interactions/${ref.id}/${ref.token}/callback`);
  }

  private notify(): void {
    this.waiter.notify();
  }

  waitFor<T>(probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return this.waiter.waitFor(probe, timeoutMs, "the fake Discord");
  }
}
