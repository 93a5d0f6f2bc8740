/**
 * Communities for real: two Slack workspaces with different settings in one process (a real Bolt App
 * with signed requests and the local Web API), moderator alerts, the region picker, the admin-only
 * settings modal, counters and the report; on SQLite and on PostgreSQL.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSlackApp, type SlackAdapter } from "../adapters/slack/app.js";
import { createLogger } from "../src/log.js";
import type { Store } from "../src/store/store.js";
import { MockSlack, postSlashCommand, signedHeaders } from "../testkit/mock-slack.js";
import { freshStore, STORE_KINDS } from "../testkit/stores.js";
import { engine, shippedKnowledge } from "./helpers.js";

const SECRET = "communities-secret";
// biome-ignore lint/suspicious/noExplicitAny: Block Kit JSON
type B = any;
const flat = (blocks: B[]) => JSON.stringify(blocks);
const replies = shippedKnowledge().replies;

describe.each(STORE_KINDS)("two Slack workspaces on %s", (kind) => {
  const slack = new MockSlack();
  const logs: string[] = [];
  let store: Store;
  let adapter: SlackAdapter;
  let url = "";

  beforeAll(async () => {
    store = await freshStore(kind);
    await store.saveSettings("slack:T1", { region: "UK", alertChannel: "CALERT", collectUnanswered: true });
    await store.saveSettings("slack:T2", { region: "US", safeguardingContact: "Dana Reyes, ext 4410" });
    await slack.start();
    slack.admins.add("UADMIN");
    adapter = createSlackApp({
      engine: engine({ region: "INTL" }),
      config: { botToken: "xoxb-test", mode: "http", signingSecret: SECRET, port: 0, apiUrl: slack.apiUrl },
      log: createLogger((l) => logs.push(l)),
      store,
    });
    const server = (await adapter.app.start(0)) as Server;
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });
  afterAll(async () => {
    await adapter.app.stop();
    await slack.stop();
    await store.close();
  });
  beforeEach(() => {
    slack.calls.length = 0;
    slack.responses.length = 0;
  });

  const slash = async (team: string, text: string, user = "U1") =>
    (await postSlashCommand(slack, url, SECRET, text, { team_id: team, user_id: user })).json() as Promise<{
      text: string;
      blocks: B[];
    }>;
  const post = (body: string, type: string) =>
    fetch(url, { method: "POST", body, headers: { "content-type": type, ...signedHeaders(SECRET, body) } });
  const mention = (team: string, text: string, ts: string) =>
    post(
      JSON.stringify({
        type: "event_callback",
        team_id: team,
        api_app_id: "A1",
        event_id: `Ev${ts.replace(".", "")}${team}`,
        event_time: 1,
        event: { type: "app_mention", user: "U7", text: `<@UBOT> ${text}`, ts, channel: "CGEN" },
      }),
      "application/json",
    );
  const interactive = (payload: Record<string, unknown>) =>
    post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), "application/x-www-form-urlencoded");

  it("gives each workspace its own region and safeguarding contact in the same process", async () => {
    expect((await slash("T1", "resources")).text).toContain("call 999 now");
    expect((await slash("T2", "resources")).text).toContain("call 911 now");
    const disclosure = "my student told me a man pays her to go to parties with his friends";
    const uk = await slash("T1", disclosure);
    const us = await slash("T2", disclosure);
    expect(uk.text).toContain("999");
    expect(us.text).toContain("911");
    expect(us.text).toContain("Dana Reyes, ext 4410");
    expect(uk.text).not.toContain("Dana Reyes");
  });

  it("alerts the moderator channel about a disclosure in a channel, without the message, and says so", async () => {
    const words = "zqx the girl next door is 12 and men come and pay her dad at night";
    await mention("T1", words, "100.200");
    const alert = await slack.waitFor(() => slack.callsTo("chat.postMessage").find((c) => c.body.channel === "CALERT"));
    const text = String(alert.body.text);
    expect(text).toContain("possible disclosure of danger");
    expect(text).toContain("<@U7>");
    expect(text).toContain("https://example.slack.com/archives/CGEN/p100200");
    expect(JSON.stringify(alert.body)).not.toMatch(/zqx|girl next door|pay her dad/);
    const reply = await slack.waitFor(() => slack.callsTo("chat.postEphemeral")[0]);
    expect(flat(reply.body.blocks)).toContain(replies.alerts.notice.slice(0, 40));
    // a private question (the slash command) does not alert by default; T2 has no alert channel at all
    slack.calls.length = 0;
    await slash("T1", "a girl in my class told me a man pays her for pictures");
    await mention("T2", words, "100.300");
    await slack.waitFor(() => slack.callsTo("chat.postEphemeral")[0]);
    expect(
      slack
        .callsTo("chat.postMessage")
        .filter((c) => c.body.channel === "CALERT")
        .map((c) => c.body.text),
    ).toEqual([]);
  });

  it("alerts a refusal in a channel others can read", async () => {
    await mention("T1", "where can i buy a young girl for the night", "300.1");
    const alert = await slack.waitFor(() => slack.callsTo("chat.postMessage").find((c) => c.body.channel === "CALERT"));
    expect(String(alert.body.text)).toContain("refused a request");
    expect(JSON.stringify(alert.body)).not.toMatch(/young girl|for the night/);
  });

  it("offers a region picker where the workspace has none, and re-renders privately for the region chosen", async () => {
    const urgent = await slash("T3", "im 14 and a man online says he will share my pics unless i pay");
    const buttons = urgent.blocks.filter((b: B) => b.type === "actions").flatMap((b: B) => b.elements);
    const uk = buttons.find((e: B) => e.action_id === "pick_region:UK");
    expect(uk).toBeDefined();
    expect(
      (await slash("T1", "im 14 and a man online says he will share my pics unless i pay")).blocks,
    ).not.toContainEqual(
      expect.objectContaining({
        elements: expect.arrayContaining([expect.objectContaining({ action_id: "pick_region:US" })]),
      }),
    );
    await interactive({
      type: "block_actions",
      user: { id: "U1" },
      team: { id: "T3" },
      actions: [{ action_id: "pick_region:UK", value: uk.value, type: "button" }],
      response_url: slack.responseUrl("picked"),
      trigger_id: "t",
    });
    const picked = await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/picked"));
    expect(picked.body.response_type).toBe("ephemeral");
    expect(flat(picked.body.blocks)).toContain("If you are in danger right now, call 999.");
    expect(flat(picked.body.blocks)).toContain("Childline");
    // a forged value is "expired", never rendered
    await interactive({
      type: "block_actions",
      user: { id: "U1" },
      team: { id: "T3" },
      actions: [{ action_id: "pick_region:UK", value: "UK|<!channel>|x|y", type: "button" }],
      response_url: slack.responseUrl("forged"),
      trigger_id: "t",
    });
    const forged = await slack.waitFor(() => slack.responses.find((r) => r.method === "/response/forged"));
    expect(forged.body.text).toBe(replies.expired);
  });

  it("counts every reply, keeps unanswered questions scrubbed only where opted in, and says so", async () => {
    await slash("T1", "how do i bake sourdough bread, call me on 07700 900123");
    await slash("T2", "how do i bake sourdough bread");
    await slash("T1", "what does csec stand for");
    expect((await slash("T1", "is this confidential?")).text).toContain("at most 30 days");
    expect((await slash("T2", "is this confidential?")).text).toContain("I don't keep what you type");
    const t1 = await store.report({ since: new Date(Date.now() - 86_400_000), community: "slack:T1" });
    expect(t1.unanswered).toBeGreaterThanOrEqual(1);
    expect(t1.topFacts.map((f) => f.fact)).toContain("csec-definition");
    expect(t1.questions.flatMap((q) => q.texts)).toContain("how do i bake sourdough bread, call me on [phone]");
    const t2 = await store.report({ since: new Date(Date.now() - 86_400_000), community: "slack:T2" });
    expect(t2.unanswered).toBeGreaterThanOrEqual(1);
    expect(t2.questions).toEqual([]);
    // safety replies are counted by rule, and their words are never kept
    expect(t1.rules.length).toBeGreaterThan(0);
    expect(JSON.stringify(t1.questions)).not.toMatch(/pays her|buy a young/);
  });

  it("opens the settings modal for admins only, and saves what an admin submits (checked again)", async () => {
    const denied = await postSlashCommand(slack, url, SECRET, "settings", { team_id: "T2", user_id: "U1" });
    expect(denied.status).toBe(200);
    const no = await slack.waitFor(() => slack.responses.find((r) => r.body.text === replies.settings.not_admin));
    expect(no).toBeDefined();
    expect(slack.callsTo("views.open")).toEqual([]);
    await postSlashCommand(slack, url, SECRET, "settings", { team_id: "T2", user_id: "UADMIN" });
    const opened = await slack.waitFor(() => slack.callsTo("views.open")[0]);
    const view = opened.body.view;
    expect(view.callback_id).toBe("community_settings");
    const submit = (user: string) =>
      interactive({
        type: "view_submission",
        user: { id: user },
        team: { id: "T2" },
        view: {
          id: "V1",
          callback_id: "community_settings",
          private_metadata: "T2",
          state: {
            values: {
              region: { value: { type: "static_select", selected_option: { value: "AU" } } },
              contact: { value: { type: "plain_text_input", value: "Kim, 0400 000 000" } },
              alert_channel: { value: { type: "conversations_select", selected_conversation: "CMODS" } },
              options: { value: { type: "checkboxes", selected_options: [{ value: "alert_private" }] } },
            },
          },
        },
      });
    const refused = await submit("U1");
    expect(await refused.json()).toMatchObject({ response_action: "errors" });
    expect((await store.settings("slack:T2", 0)).region).toBe("US");
    expect((await submit("UADMIN")).status).toBe(200);
    expect(await store.settings("slack:T2", 0)).toEqual({
      region: "AU",
      safeguardingContact: "Kim, 0400 000 000",
      alertChannel: "CMODS",
      alertPrivate: true,
      collectUnanswered: false,
    });
  });
});
