/** Embed rendering as a pure function, command definitions, configuration and registration. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandDefinitions } from "../../adapters/discord/commands/index.js";
import { discordConfigFromEnv } from "../../adapters/discord/config.js";
import { defuse, EPHEMERAL, renderReply } from "../../adapters/discord/embeds.js";
import { registerCommands } from "../../adapters/discord/register.js";
import { type Reply, sourceText } from "../../src/engine/reply.js";
import { REGION_CODES } from "../../src/knowledge/regions.js";
import { APP_ID, FakeDiscord, GUILD_ID } from "../../testkit/fake-discord.js";
import { engine } from "../helpers.js";

const bot = engine({ region: "AU" });
const copy = bot.knowledge.replies;

describe("renderReply", () => {
  it("renders an answer: title, answer, source footer, related and feedback buttons, share on request", () => {
    const reply = bot.answer("what is a situational offender?");
    const p = renderReply(reply, copy, { ephemeral: true, share: true });
    expect(p.embeds[0]?.title).toBe(reply.title);
    expect(p.embeds[0]?.description).toBe(reply.answer);
    expect(p.embeds[0]?.footer?.text).toBe(`Source: ${reply.source ? sourceText(reply.source) : ""}`);
    expect(p.flags).toBe(EPHEMERAL);
    expect(p.allowedMentions).toEqual({ parse: [], repliedUser: false });
    const ids = p.components.flatMap((r) => r.components.map((b) => b.custom_id));
    expect(ids).toEqual([
      ...reply.related.map((r) => `related:${r.id}`),
      `helpful:${reply.factId}`,
      `not_helpful:${reply.factId}`,
      `share:${reply.factId}`,
    ]);
    expect(renderReply(reply, copy).flags).toBeUndefined();
  });

  it("keeps within Discord's limits: 5 buttons a row, 5 rows, labels of 80", () => {
    const many: Reply = {
      ...bot.answer("what is csec"),
      related: Array.from({ length: 40 }, (_, i) => ({ id: `f${i}`, title: "x".repeat(120) })),
    };
    const p = renderReply(many, copy, { share: true });
    expect(p.components.length).toBeLessThanOrEqual(5);
    for (const row of p.components) {
      expect(row.components.length).toBeLessThanOrEqual(5);
      for (const b of row.components) expect(b.label.length).toBeLessThanOrEqual(80);
    }
    expect(p.components.at(-1)?.components.map((b) => b.custom_id)).toContain("share:csec-definition");
  });

  it("puts the emergency line first and bold in an urgent reply, with no buttons", () => {
    const p = renderReply(bot.answer("my daughter is 13 and a man online keeps asking her for nudes"), copy, {
      ephemeral: true,
    });
    expect(p.embeds[0]?.description.split("\n")[0]).toBe("**If a child is in immediate danger, call 000 now.**");
    expect(p.components).toEqual([]);
  });

  it("turns suggestions into related-topic buttons", () => {
    const reply = bot.answer("offenders");
    const ids = renderReply(reply, copy).components.flatMap((r) => r.components.map((b) => b.custom_id));
    expect(ids).toEqual(reply.suggestions.map((s) => `related:${s.id}`));
  });

  it("defuses mention syntax", () => {
    expect(defuse("@everyone <@123> <@&456> <#789> @here")).not.toMatch(/@everyone|@here|<@\d|<@&\d|<#\d/);
    const hostile: Reply = { ...bot.help(), lead: "@everyone <@123>", bullets: ["<@&456> @here"] };
    expect(JSON.stringify(renderReply(hostile, copy))).not.toMatch(/@everyone|@here|<@123>|<@&456>/);
  });

  it("renders from the fields, never from the reply's text", () => {
    for (const reply of [bot.answer("what is csam"), bot.answer("my 12 year old told me a man pays her"), bot.help()]) {
      const json = JSON.stringify(renderReply({ ...reply, text: "SENTINEL-TEXT" }, copy));
      expect(json).not.toContain("SENTINEL-TEXT");
      expect(json).toContain(JSON.stringify(reply.lead ?? reply.answer).slice(1, 40));
    }
  });

  it("shows every part of an urgent reply: lines, next steps, the lines for anywhere", () => {
    const reply = engine({ region: "UK", safeguardingContact: "the duty lead" }).answer(
      "a pupil told me a man pays her to go to parties",
    );
    expect(reply.kind).toBe("urgent");
    const description = renderReply(reply, copy).embeds[0]?.description ?? "";
    for (const s of reply.resources.filter((r) => r.kind !== "emergency")) expect(description).toContain(s.name);
    for (const step of reply.nextSteps?.steps ?? []) expect(description).toContain(step);
    expect(description).toContain("the duty lead");
  });
});

describe("commands", () => {
  it("define /csec with ask, define, resources, topics, help, and a moderator-only message menu", () => {
    const [csec, settings, menu] = commandDefinitions() as unknown as [
      Record<string, unknown>,
      Record<string, unknown>,
      Record<string, unknown>,
    ];
    expect(csec.name).toBe("csec");
    const subs = csec.options as {
      name: string;
      options?: { name: string; autocomplete?: boolean; choices?: unknown[] }[];
    }[];
    expect(subs.map((s) => s.name)).toEqual(["ask", "define", "resources", "topics", "help"]);
    expect(subs[0]?.options?.[0]?.autocomplete).toBe(true);
    expect(subs[1]?.options?.[0]?.autocomplete).toBe(true);
    expect(subs[2]?.options?.[0]?.choices).toHaveLength(REGION_CODES.length);
    expect(menu).toMatchObject({ name: "Send support resources", type: 3, default_member_permissions: "8192" });
    // settings and the report: Manage Server (32) by default, never in direct messages
    expect(settings).toMatchObject({ name: "csec-settings", default_member_permissions: "32", dm_permission: false });
    expect((settings.options as { name: string }[]).map((o) => o.name)).toEqual([
      "show",
      "region",
      "contact",
      "alerts",
      "collect",
      "report",
    ]);
  });
});

describe("configuration and registration", () => {
  const fake = new FakeDiscord();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  it("validates the environment with one line per variable, never printing a value", () => {
    expect(
      discordConfigFromEnv({ DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "1", FACTBOT_SHARDS: "auto" }).shards,
    ).toBe("auto");
    expect(discordConfigFromEnv({ DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "1", FACTBOT_SHARDS: "4" }).shards).toBe(
      4,
    );
    expect(() => discordConfigFromEnv({ DISCORD_TOKEN: "secret-xyz" })).toThrow(
      /^configuration error: DISCORD_APPLICATION_ID: /,
    );
    try {
      discordConfigFromEnv({ DISCORD_TOKEN: "secret-xyz", DISCORD_APPLICATION_ID: "abc" });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toBe(
        "configuration error: DISCORD_APPLICATION_ID: must be a Discord application id (digits)",
      );
    }
    expect(() =>
      discordConfigFromEnv({ DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "1", FACTBOT_SHARDS: "lots" }),
    ).toThrow(/FACTBOT_SHARDS: must be 'auto' or a number/);
  });

  it("registers the commands to a guild for testing, or globally", async () => {
    const guild = await registerCommands({ token: "t", applicationId: APP_ID, apiUrl: fake.apiUrl, guildId: GUILD_ID });
    expect(guild).toEqual({ scope: `guild ${GUILD_ID}`, count: 3 });
    const put = fake.calls.find((c) => c.method === "PUT");
    expect(put?.path).toBe(`/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    expect(put?.body.map((c: { name: string }) => c.name)).toEqual(["csec", "csec-settings", "Send support resources"]);
    await registerCommands({ token: "t", applicationId: APP_ID, apiUrl: fake.apiUrl });
    expect(fake.calls.filter((c) => c.method === "PUT").at(-1)?.path).toBe(`/applications/${APP_ID}/commands`);
  });
});
