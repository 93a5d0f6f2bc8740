/**
 * Communities on Discord for real (a discord.js Client on the local fake gateway and REST): two
 * servers with different settings, moderator alerts without the message, urgent replies to mentions
 * by direct message, the region picker, and /csec-settings for Manage Server only.
 */
import type { Client } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import type { Store } from "../../src/store/store.js";
import { loggedInClient } from "../../testkit/discord-client.js";
import { CHANNEL_ID, DM_CHANNEL_ID, FakeDiscord, GUILD_ID } from "../../testkit/fake-discord.js";
import { freshStore } from "../../testkit/stores.js";
import { engine, shippedKnowledge } from "../helpers.js";

const discord = new FakeDiscord();
const ALERTS = "300000000000000077";
const OTHER_GUILD = "200000000000000002";
const NO_REGION_GUILD = "200000000000000003";
const replies = shippedKnowledge().replies;
let client: Client;
let store: Store;

beforeAll(async () => {
  store = await freshStore("sqlite");
  await store.saveSettings(`discord:${GUILD_ID}`, { region: "AU", alertChannel: ALERTS });
  await store.saveSettings(`discord:${OTHER_GUILD}`, { region: "CA" });
  await discord.start();
  client = await loggedInClient(discord, { engine: engine({ region: "INTL" }), log: createLogger(() => {}), store });
});
afterAll(async () => {
  await client.destroy();
  await discord.stop();
  await store.close();
});
beforeEach(() => {
  discord.calls.length = 0;
  discord.failing.length = 0;
});

// biome-ignore lint/suspicious/noExplicitAny: API JSON
type Json = any;
const callbackOf = (ref: { id: string; token: string }) =>
  discord.waitFor(() => discord.callback(ref)).then((c) => c.body.data as Json);
const ask = (question: string, guild = GUILD_ID) =>
  discord.interaction(
    2,
    {
      id: "900",
      name: "csec",
      type: 1,
      options: [{ name: "ask", type: 1, options: [{ name: "question", type: 3, value: question }] }],
    },
    { guild_id: guild, channel: { id: CHANNEL_ID, type: 0, guild_id: guild, name: "general" } },
  );
const settings = (sub: string, options: Json[] = [], permissions = "8") =>
  discord.interaction(
    2,
    { id: "902", name: "csec-settings", type: 1, options: [{ name: sub, type: 1, options }] },
    { member: { ...discord.member(), permissions } },
  );
const posted = (channel: string) =>
  discord.calls.filter((c) => c.method === "POST" && c.path === `/channels/${channel}/messages`);

describe("two servers, one process", () => {
  it("answers each with its own region", async () => {
    const disclosure = "im 13 and a man keeps asking me for pics and says he will pay me";
    const au = await callbackOf(ask(disclosure));
    const ca = await callbackOf(ask(disclosure, OTHER_GUILD));
    expect(au.embeds[0].description).toContain("call 000");
    expect(ca.embeds[0].description).toContain("call 911");
    expect(au.flags).toBe(64);
  });
});

describe("mentions that disclose danger", () => {
  it("send the urgent reply by direct message, a neutral line in the channel, and alert the moderators", async () => {
    const words = "zqx my little cousin is 11 and a man gives her money to meet him";
    const msg = discord.userMessage(`<@100000000000000001> ${words}`, { mentionBot: true });
    const dm = await discord.waitFor(() => posted(DM_CHANNEL_ID)[0]);
    expect(JSON.stringify(dm.body)).toContain("000");
    const publicLine = await discord.waitFor(() => posted(CHANNEL_ID)[0]);
    expect(publicLine.body.content).toBe(replies.alerts.sent_privately);
    expect(publicLine.body.embeds ?? []).toEqual([]);
    const alert = await discord.waitFor(() => posted(ALERTS)[0]);
    expect(alert.body.content).toContain("possible disclosure of danger");
    expect(alert.body.content).toContain(`https://discord.com/channels/${GUILD_ID}/${CHANNEL_ID}/${msg.id}`);
    expect(alert.body.content).toContain("<@400000000000000001>");
    expect(alert.body.allowed_mentions).toEqual({ parse: [] });
    for (const call of [dm, publicLine, alert]) expect(JSON.stringify(call.body)).not.toMatch(/zqx|little cousin/);
    // the member is told the moderators were alerted
    expect(JSON.stringify(dm.body)).toContain(replies.alerts.notice.slice(0, 40));
  });

  it("post the urgent reply in the channel when direct messages are closed, quoting nothing", async () => {
    discord.failing.push(new RegExp(`^/channels/${DM_CHANNEL_ID}/messages$`));
    discord.userMessage("<@100000000000000001> zqy a girl at my school is 14 and sold to older men", {
      mentionBot: true,
    });
    const reply = await discord.waitFor(() => posted(CHANNEL_ID)[0]);
    expect(reply.body.embeds[0].description).toContain("000");
    expect(JSON.stringify(reply.body)).not.toMatch(/zqy|sold to older men/);
  });
});

describe("the region picker", () => {
  it("offers regions where the server has none, and re-renders privately for the one chosen", async () => {
    const data = await callbackOf(ask("im 15 and someone online is threatening to share my nudes", NO_REGION_GUILD));
    const ids: string[] = data.components.flatMap((r: Json) => r.components.map((b: Json) => b.custom_id));
    const uk = ids.find((id) => id.startsWith("region:UK|urgent|"));
    expect(uk).toBeDefined();
    const picked = await callbackOf(discord.button(uk as string));
    expect(picked.flags).toBe(64);
    expect(picked.embeds[0].description).toContain("call 999");
    const au = await callbackOf(ask("im 15 and someone online is threatening to share my nudes"));
    expect(JSON.stringify(au.components)).not.toContain("region:");
  });
});

describe("/csec-settings", () => {
  it("is refused without Manage Server, even when Discord shows it", async () => {
    const data = await callbackOf(settings("region", [{ name: "code", type: 3, value: "NZ" }], "0"));
    expect(data.content).toBe(replies.settings.not_admin);
    expect((await store.settings(`discord:${GUILD_ID}`, 0)).region).toBe("AU");
  });

  it("saves what a server admin sets, and shows the report", async () => {
    const data = await callbackOf(settings("contact", [{ name: "text", type: 3, value: "Ari, mod lead" }]));
    expect(data.content).toContain(replies.settings.saved);
    expect((await store.settings(`discord:${GUILD_ID}`, 0)).safeguardingContact).toBe("Ari, mod lead");
    await callbackOf(ask("what does csec stand for"));
    const report = await callbackOf(settings("report"));
    expect(report.content).toContain(replies.report.title);
    expect(report.content).toMatch(/What CSEC stands for and means/);
  });
});
