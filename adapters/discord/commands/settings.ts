/**
 * /csec-settings: a server's settings and its report, for members with Manage Server. The permission
 * is Discord's default for the command (default_member_permissions, set per command, which is why
 * this is its own command beside /csec) and is checked again on receipt, since server owners can
 * change who sees a command.
 */
import { ChannelType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { REGION_CODES } from "../../../src/knowledge/regions.js";
import type { RegionCode, Replies } from "../../../src/knowledge/schema.js";
import { formatReport } from "../../../src/report-format.js";
import type { CommunitySettings } from "../../../src/store/store.js";
import type { SlashCommand } from "./types.js";

const MAX_CONTENT = 1900;

/** A server's settings, named as replies.yaml names them. */
function describe(s: CommunitySettings, c: Replies["settings"]): string {
  const yesNo = (v: boolean) => (v ? c.yes : c.no);
  return [
    `${c.region}: ${s.region ?? c.region_not_set}`,
    `${c.contact}: ${s.safeguardingContact ?? c.not_set}`,
    `${c.alert_channel}: ${s.alertChannel ? `<#${s.alertChannel}>` : c.not_set}`,
    `${c.alert_private}: ${yesNo(s.alertPrivate)}`,
    `${c.collect}: ${yesNo(s.collectUnanswered)}`,
  ].join("\n");
}

export const csecSettings: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("csec-settings")
    .setDescription("The bot's settings for this server, and what members asked (Manage Server)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setDMPermission(false)
    .addSubcommand((s) => s.setName("show").setDescription("Show this server's settings"))
    .addSubcommand((s) =>
      s
        .setName("region")
        .setDescription("The region whose lines replies carry")
        .addStringOption((o) =>
          o
            .setName("code")
            .setDescription("A region code; leave empty to let people choose")
            .addChoices(...REGION_CODES.map((code) => ({ name: code, value: code }))),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("contact")
        .setDescription("The safeguarding contact shown in urgent replies to adults")
        .addStringOption((o) =>
          o.setName("text").setDescription("Name and how to reach them; empty to clear").setMaxLength(300),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("alerts")
        .setDescription("Where moderator alerts go, and whether private questions alert too")
        .addChannelOption((o) =>
          o
            .setName("channel")
            .setDescription("The moderators' channel; empty to turn alerts off")
            .addChannelTypes(ChannelType.GuildText),
        )
        .addBooleanOption((o) => o.setName("private").setDescription("Also alert for /csec questions (private)")),
    )
    .addSubcommand((s) =>
      s
        .setName("collect")
        .setDescription("Keep the text of unanswered questions (scrubbed, at most 30 days) for curators")
        .addBooleanOption((o) => o.setName("on").setDescription("Keep them").setRequired(true)),
    )
    .addSubcommand((s) => s.setName("report").setDescription("What members asked in the last 30 days")),

  async execute(interaction, { engine, communities, log }) {
    const copy = engine.knowledge.replies.settings;
    const reply = (content: string) =>
      interaction.reply({
        content: content.slice(0, MAX_CONTENT),
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
    if (!interaction.guildId || !interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      await reply(copy.not_admin);
      return;
    }
    if (!communities.store) {
      await reply(copy.no_store);
      return;
    }
    const place = { platform: "discord" as const, community: interaction.guildId, private: true };
    const sub = interaction.options.getSubcommand();
    if (sub === "report") {
      const report = await communities.store.report({
        since: new Date(Date.now() - 30 * 86_400_000),
        community: `discord:${interaction.guildId}`,
      });
      const titles = new Map(engine.allFacts().map((f) => [f.id, f.title]));
      const text =
        report.total === 0
          ? engine.knowledge.replies.report.empty
          : formatReport(report, "text", titles, engine.knowledge.replies.report.title);
      await reply(`\`\`\`\n${text.slice(0, MAX_CONTENT - 10)}\n\`\`\``);
      return;
    }
    const patch: Partial<CommunitySettings> = {};
    if (sub === "region") patch.region = (interaction.options.getString("code") as RegionCode | null) ?? null;
    if (sub === "contact") patch.safeguardingContact = interaction.options.getString("text")?.trim() || null;
    if (sub === "alerts") {
      patch.alertChannel = interaction.options.getChannel("channel")?.id ?? null;
      const alertPrivate = interaction.options.getBoolean("private");
      if (alertPrivate !== null) patch.alertPrivate = alertPrivate;
    }
    if (sub === "collect") patch.collectUnanswered = interaction.options.getBoolean("on", true);
    const settings = sub === "show" ? await communities.settings(place) : await communities.save(place, patch);
    if (sub !== "show") log.info({ event: "settings_saved", adapter: "discord", ok: settings !== null });
    await reply(settings ? `${sub === "show" ? "" : `${copy.saved}\n`}${describe(settings, copy)}` : copy.no_store);
  },

  async autocomplete() {},
};
