/** Socket Mode: the real Bolt App connects to a local WebSocket found through apps.connections.open. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSlackApp, type SlackAdapter } from "../../adapters/slack/app.js";
import { Health } from "../../src/adapter.js";
import { silentLogger } from "../../src/log.js";
import { MockSlack } from "../../testkit/mock-slack.js";
import { engine } from "../helpers.js";

const slack = new MockSlack();
const health = new Health();
let adapter: SlackAdapter;

beforeAll(async () => {
  await slack.start(true);
  adapter = createSlackApp({
    engine: engine({ region: "UK" }),
    config: { botToken: "xoxb-test", mode: "socket", appToken: "xapp-test", port: 0, apiUrl: slack.apiUrl },
    log: silentLogger,
    health,
  });
  health.expect("slack");
  await adapter.app.start();
});

afterAll(async () => {
  await adapter.app.stop();
  await slack.stop();
});

function envelope(id: string, type: string, payload: Record<string, unknown>) {
  return new Promise<Record<string, unknown>>((resolve) => {
    const socket = slack.socket;
    if (!socket) throw new Error("no socket connection");
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString());
      if (msg.envelope_id === id) {
        socket.off("message", onMessage);
        resolve(msg);
      }
    };
    socket.on("message", onMessage);
    socket.send(JSON.stringify({ envelope_id: id, type, payload, accepts_response_payload: true, retry_attempt: 0 }));
  });
}

const command = (text: string) => ({
  token: "x",
  team_id: "T1",
  channel_id: "C1",
  user_id: "U1",
  command: "/csec",
  text,
  response_url: slack.responseUrl("socket"),
  trigger_id: "t",
});

describe("Socket Mode", () => {
  it("connects through apps.connections.open with the app token", () => {
    expect(slack.callsTo("apps.connections.open")).toHaveLength(1);
  });

  it("carries the ephemeral answer in the ack", async () => {
    const ack = await envelope("env-1", "slash_commands", command("what does csec stand for"));
    const payload = ack.payload as { response_type: string; blocks: unknown[] };
    expect(payload.response_type).toBe("ephemeral");
    expect(JSON.stringify(payload.blocks)).toContain("Commercial Sexual Exploitation of Children");
  });

  it("is healthy while the socket is open, and says so while it reconnects", async () => {
    await slack.waitFor(() => health.ok);
    slack.socket?.terminate();
    await slack.waitFor(() => !health.ok);
    expect(health.reasons()).toEqual(["slack: socket closed, reconnecting"]);
    // Bolt's client opens a new socket through apps.connections.open
    await slack.waitFor(() => health.ok, 15_000);
    expect(slack.callsTo("apps.connections.open").length).toBeGreaterThan(1);
  });

  it("carries an urgent referral, with the region's emergency number first", async () => {
    const ack = await envelope("env-2", "slash_commands", command("a girl in my class told me a man pays her for sex"));
    const payload = ack.payload as { response_type: string; blocks: { text: { text: string } }[] };
    expect(payload.response_type).toBe("ephemeral");
    expect(payload.blocks[0]?.text.text).toContain("999");
  });
});
