/**
 * `npm start` as the README runs it: with Slack variables it serves HTTP mode, with Discord variables
 * it logs in to Discord, with neither it opens the terminal chat. Slack and Discord are local stand-ins.
 */
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../testkit/fake-discord.js";
import { MockSlack, postSlashCommand, signedHeaders } from "../testkit/mock-slack.js";
import { freePort, npmStart, stopAll, until } from "../testkit/processes.js";

afterEach(() => stopAll());

describe("npm start", () => {
  it("serves Slack HTTP mode: ephemeral answer, urgent referral, 401 on a bad signature, /healthz", async () => {
    const slack = new MockSlack();
    await slack.start();
    const port = await freePort();
    npmStart({ SLACK_BOT_TOKEN: "xoxb-x", SLACK_SIGNING_SECRET: "s", PORT: String(port), SLACK_API_URL: slack.apiUrl });
    const base = `http://127.0.0.1:${port}`;
    try {
      expect((await until(() => fetch(`${base}/healthz`).then((r) => (r.ok ? r : undefined)))).status).toBe(200);
      const ask = (text: string, secret = "s") => postSlashCommand(slack, `${base}/slack/events`, secret, text);
      const answer = (await (await ask("what does csec stand for")).json()) as { response_type: string; text: string };
      expect(answer.response_type).toBe("ephemeral");
      expect(answer.text).toContain("Commercial Sexual Exploitation of Children");
      const urgent = (await (await ask("my 14 year old niece told me a man pays her for sex")).json()) as {
        response_type: string;
        text: string;
      };
      expect(urgent.response_type).toBe("ephemeral");
      expect(urgent.text).toContain("You did the right thing");
      expect((await ask("what is csec", "wrong")).status).toBe(401);
    } finally {
      await slack.stop();
    }
  });

  it("logs in to Discord and answers /csec ask, a disclosure ephemerally", async () => {
    const discord = new FakeDiscord();
    await discord.start();
    const healthPort = await freePort();
    npmStart({
      DISCORD_TOKEN: "x",
      DISCORD_APPLICATION_ID: "1",
      DISCORD_API_URL: discord.apiUrl,
      FACTBOT_REGION: "US",
      HEALTH_PORT: String(healthPort),
    });
    try {
      await discord.waitFor(() => discord.identifies.length > 0, 20_000);
      // health and metrics on HEALTH_PORT in Discord mode: 200 once the shard is ready
      const health = await until(async () => {
        const res = await fetch(`http://127.0.0.1:${healthPort}/healthz`);
        return res.status === 200 ? res : undefined;
      });
      expect(await health.json()).toEqual({ ok: true });
      await new Promise((r) => setTimeout(r, 300));
      // a payload Discord never sends (an interaction without data) is logged and dropped, not fatal
      discord.dispatch("INTERACTION_CREATE", { id: "99", application_id: "1", type: 2, token: "t", version: 1 });
      const ask = discord.slash("ask", [{ name: "question", value: "what does csec stand for" }]);
      const answer = await discord.waitFor(() => discord.callback(ask), 10_000);
      expect(answer.body.data.embeds[0].description).toContain("Commercial Sexual Exploitation of Children");
      const disclose = discord.slash("ask", [
        { name: "question", value: "im 15 and an older guy keeps offering me money for pics" },
      ]);
      const urgent = await discord.waitFor(() => discord.callback(disclose), 10_000);
      expect(urgent.body.data.flags).toBe(64);
      expect(urgent.body.data.embeds[0].description).toContain("911");
      const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
      expect(metrics).toMatch(/factbot_adapter_up\{adapter="discord"\} 1/);
      expect(metrics).toMatch(/factbot_replies_total\{adapter="discord",kind="answer",rule=""\} 1/);
      expect(metrics).toMatch(/factbot_replies_total\{adapter="discord",kind="urgent",rule="[a-z_:-]+"\} 1/);
      expect(metrics).toMatch(/factbot_reply_seconds_count\{adapter="discord"\} 2/);
      // nothing a member typed is a label
      expect(metrics).not.toMatch(/csec stand|older guy/);
    } finally {
      await discord.stop();
    }
  });

  it("on SIGTERM to npm start, answers what is in flight, closes the port and exits 0", async () => {
    const slack = new MockSlack();
    await slack.start();
    const port = await freePort();
    const env = {
      SLACK_BOT_TOKEN: "xoxb-x",
      SLACK_SIGNING_SECRET: "s",
      PORT: String(port),
      SLACK_API_URL: slack.apiUrl,
    };
    const base = `http://127.0.0.1:${port}`;
    try {
      const first = npmStart(env);
      await until(() => fetch(`${base}/healthz`).then((r) => (r.ok ? r : undefined)));
      // a reply in flight: the mention is acknowledged at once, its chat.postMessage takes 1.5 s
      slack.delays.set("chat.postMessage", 1500);
      const mention = JSON.stringify({
        type: "event_callback",
        event_id: "Ev1",
        team_id: "T1",
        event: { type: "app_mention", user: "U1", text: "<@UBOT> what is csec", ts: "1.1", channel: "C1" },
      });
      const acked = await fetch(`${base}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/json", ...signedHeaders("s", mention) },
        body: mention,
      });
      expect(acked.status).toBe(200);
      await until(() => slack.calls.some((c) => c.method === "chat.postMessage"));
      const exited = new Promise<number | null>((resolve) => first.child.on("exit", resolve));
      first.child.kill("SIGTERM"); // npm itself, as a service manager would signal it
      expect(await exited).toBe(0);
      const log = first.out.stderr;
      expect(log).toContain('"event":"shutdown"');
      // the reply in flight finished (its log line) before the bot said it had stopped
      expect(log.indexOf('"event":"mention"')).toBeGreaterThan(log.indexOf('"event":"shutdown"'));
      expect(log.indexOf('"event":"stopped"')).toBeGreaterThan(log.indexOf('"event":"mention"'));
      // nothing was left running on the port: a restart binds it again
      npmStart(env);
      expect((await until(() => fetch(`${base}/healthz`).then((r) => (r.ok ? r : undefined)))).status).toBe(200);
    } finally {
      await slack.stop();
    }
  });

  it("survives a payload Slack never sends, and refuses oversized bodies before reading them", async () => {
    const slack = new MockSlack();
    await slack.start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child, out } = npmStart({
      SLACK_BOT_TOKEN: "xoxb-x",
      SLACK_SIGNING_SECRET: "s",
      PORT: String(port),
      SLACK_API_URL: slack.apiUrl,
    });
    let exited = false;
    child.on("exit", () => {
      exited = true;
    });
    try {
      await until(() => fetch(`${base}/healthz`).then((r) => (r.ok ? r : undefined)));
      // a signed JSON null: Bolt's receiver throws on it outside any handler (it used to kill the process)
      await fetch(`${base}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/json", ...signedHeaders("s", "null") },
        body: "null",
        signal: AbortSignal.timeout(1000),
      }).catch(() => undefined);
      await until(() => out.stderr.includes('"event":"unhandled_rejection"'));
      expect(out.stderr).toMatch(/"error":"TypeError: Cannot read properties of null \(reading '…'\)"/);
      // a 4 MB unsigned body is refused from its Content-Length, at once
      const big = "x".repeat(4 * 1024 * 1024);
      const started = Date.now();
      const refused = await fetch(`${base}/slack/events`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: big,
      });
      expect(refused.status).toBe(413);
      expect(Date.now() - started).toBeLessThan(2000);
      // and the bot still answers
      const answer = await postSlashCommand(slack, `${base}/slack/events`, "s", "what does csec stand for");
      expect(answer.status).toBe(200);
      expect(exited).toBe(false);
    } finally {
      await slack.stop();
    }
  });

  it("exits 1 when Discord revokes the token and Discord is the only adapter", async () => {
    const discord = new FakeDiscord();
    await discord.start();
    const { child, out } = npmStart({
      DISCORD_TOKEN: "x",
      DISCORD_APPLICATION_ID: "1",
      DISCORD_API_URL: discord.apiUrl,
    });
    try {
      await discord.waitFor(() => discord.identifies.length > 0, 20_000);
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      discord.revokeToken();
      expect(await exited).toBe(1);
      expect(out.stderr).toContain('"event":"gateway_closed"');
      expect(out.stderr).toContain('"code":4004');
    } finally {
      await discord.stop();
    }
  });

  it("reports 503 on /healthz when Discord is lost but Slack still serves", async () => {
    const discord = new FakeDiscord();
    await discord.start();
    const slack = new MockSlack();
    await slack.start();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { child } = npmStart({
      SLACK_BOT_TOKEN: "xoxb-x",
      SLACK_SIGNING_SECRET: "s",
      PORT: String(port),
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: "x",
      DISCORD_APPLICATION_ID: "1",
      DISCORD_API_URL: discord.apiUrl,
    });
    try {
      await discord.waitFor(() => discord.identifies.length > 0, 20_000);
      await until(() => fetch(`${base}/healthz`).then((r) => (r.ok ? r : undefined)));
      discord.revokeToken();
      const unhealthy = await until(() => fetch(`${base}/healthz`).then((r) => (r.status === 503 ? r : undefined)));
      const body = (await unhealthy.json()) as { ok: boolean; failing: string[] };
      expect(body.ok).toBe(false);
      expect(body.failing.join(" ")).toMatch(/discord: gateway closed 4004 .*DISCORD_TOKEN/);
      expect(child.exitCode).toBeNull();
      expect((await postSlashCommand(slack, `${base}/slack/events`, "s", "what is csec")).status).toBe(200);
    } finally {
      await slack.stop();
      await discord.stop();
    }
  });

  it("opens the terminal chat without tokens", async () => {
    const { child, out } = npmStart({ SLACK_BOT_TOKEN: "", DISCORD_TOKEN: "" });
    await until(() => out.stdout.includes("you> "));
    child.stdin?.write("what does csec stand for\n");
    await until(() => out.stdout.includes("Commercial Sexual Exploitation of Children"));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stdin?.end("quit\n");
    expect(await exited).toBe(0);
    expect(out.stdout).toContain("factbot (answer):");
    expect(out.stdout).not.toContain("factbot (fallback):");
  });

  it("names the variable or resource and the reason for every start-up error, never a value", async () => {
    const busy = createServer();
    const busyPort = await freePort();
    await new Promise<void>((resolve) => busy.listen(busyPort, "127.0.0.1", resolve));
    const cases: [Record<string, string>, string][] = [
      [{ SLACK_TOKEN: "xoxb-secret-1" }, "SLACK_TOKEN: not a variable the bot reads (did you mean SLACK_BOT_TOKEN?)"],
      [{ SLACK_BOT_TOKEN: "xoxb-secret-1", SLACK_SIGNING_SECRET: "s", PORT: "0x50" }, "PORT: must be a port number"],
      [
        { SLACK_BOT_TOKEN: "xoxb-secret-1", SLACK_SIGNING_SECRET: "s", PORT: String(busyPort) },
        "PORT: the port is already in use (EADDRINUSE)",
      ],
      [
        { DISCORD_TOKEN: "secret-2", DISCORD_APPLICATION_ID: "1", DISCORD_API_URL: "http://127.0.0.1:1/api" },
        "DISCORD_API_URL: cannot be reached (ECONNREFUSED)",
      ],
    ];
    try {
      for (const [env, line] of cases) {
        const { child, out } = npmStart({ SLACK_BOT_TOKEN: "", DISCORD_TOKEN: "", ...env });
        child.stdin?.end();
        const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        expect(code, line).toBe(1);
        expect(out.stderr).toMatch(
          new RegExp(`^factbot: (configuration error: )?${line.replace(/[()?.]/g, "\\$&")}`, "m"),
        );
        expect(out.stderr).not.toMatch(/secret-[12]/);
      }
    } finally {
      busy.close();
    }
  });

  it("names the token a platform rejects at start", async () => {
    const discord = new FakeDiscord();
    discord.tokenRejected = true;
    await discord.start();
    const slack = new MockSlack();
    slack.failing.set("apps.connections.open", "invalid_auth");
    await slack.start(true);
    try {
      for (const [env, line] of [
        [
          { DISCORD_TOKEN: "secret-3", DISCORD_APPLICATION_ID: "1", DISCORD_API_URL: discord.apiUrl },
          "DISCORD_TOKEN: rejected by Discord",
        ],
        [
          { SLACK_BOT_TOKEN: "xoxb-secret-4", SLACK_APP_TOKEN: "xapp-secret-5", SLACK_API_URL: slack.apiUrl },
          "SLACK_APP_TOKEN: rejected by Slack (invalid_auth)",
        ],
      ] as [Record<string, string>, string][]) {
        const { child, out } = npmStart({ SLACK_BOT_TOKEN: "", DISCORD_TOKEN: "", ...env });
        const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
        expect(code, line).toBe(1);
        expect(out.stderr).toContain(`factbot: ${line}`);
        expect(out.stderr).not.toMatch(/secret-[345]/);
      }
    } finally {
      await discord.stop();
      await slack.stop();
    }
  });

  it("stops with one clear line when a variable is malformed", async () => {
    const { child, out } = npmStart({ SLACK_BOT_TOKEN: "not-a-token", SLACK_SIGNING_SECRET: "s" });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).not.toBe(0);
    expect(out.stderr).toContain(
      "factbot: configuration error: SLACK_BOT_TOKEN: must be a bot token starting with xoxb-",
    );
    expect(out.stderr).not.toContain("not-a-token");
  });
});
