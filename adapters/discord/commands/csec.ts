/** /csec ask | define | resources | topics | help */
import { SlashCommandBuilder } from "discord.js";
import { REGION_CODES } from "../../../src/engine/referrals.js";
import type { RegionCode } from "../../../src/knowledge/schema.js";
import { renderReply } from "../embeds.js";
import type { SlashCommand } from "./types.js";

const CHOICE_MAX = 100;
const SUBCOMMANDS = new Set(["ask", "define", "resources", "topics", "help"]);

export const csec: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName("csec")
    .setDescription("Sourced facts about the commercial sexual exploitation of children, and where to get help")
    .addSubcommand((s) =>
      s
        .setName("ask")
        .setDescription("Ask a question (only you see the answer)")
        .addStringOption((o) =>
          o
            .setName("question")
            .setDescription("Your question")
            .setRequired(true)
            .setAutocomplete(true)
            .setMaxLength(2000),
        ),
    )
    .addSubcommand((s) =>
      s
        .setName("define")
        .setDescription("Define a term: CSEC, CSAM, SECTT, procurer...")
        .addStringOption((o) => o.setName("term").setDescription("The term").setRequired(true).setAutocomplete(true)),
    )
    .addSubcommand((s) =>
      s
        .setName("resources")
        .setDescription("Post help lines and reporting routes for everyone to see")
        .addStringOption((o) =>
          o
            .setName("region")
            .setDescription("Where the person is (a region code; INTL for anywhere)")
            .addChoices(...REGION_CODES.map((code) => ({ name: code, value: code }))),
        ),
    )
    .addSubcommand((s) => s.setName("topics").setDescription("What the bot can answer"))
    .addSubcommand((s) => s.setName("help").setDescription("How to use the bot")),

  async execute(interaction, { engine, record }) {
    const started = performance.now();
    const sub = interaction.options.getSubcommand();
    if (sub === "resources") {
      const region = (interaction.options.getString("region") as RegionCode | null) ?? engine.region;
      const reply = engine.resources(region);
      // visible: moderators post resources for the person they are helping
      await interaction.reply(renderReply(reply));
      record("command_resources", reply, started, interaction.user.id);
      return;
    }
    const reply =
      sub === "ask"
        ? engine.answer(interaction.options.getString("question", true))
        : sub === "define"
          ? engine.define(interaction.options.getString("term", true))
          : sub === "topics"
            ? engine.topicsReply()
            : engine.help();
    // Everything else is shown only to the asker; urgent and refused replies are never shareable.
    await interaction.reply(renderReply(reply, { ephemeral: true, share: reply.kind === "answer" }));
    // the subcommand is from the payload: only a known one becomes part of an event name
    record(`command_${SUBCOMMANDS.has(sub) ? sub : "unknown"}`, reply, started, interaction.user.id);
  },

  async autocomplete(interaction, { engine }) {
    const focused = interaction.options.getFocused(true);
    const found = focused.name === "term" ? engine.completeTerm(focused.value) : engine.autocomplete(focused.value);
    await interaction.respond(
      found.slice(0, 25).map((text) => ({ name: text.slice(0, CHOICE_MAX), value: text.slice(0, CHOICE_MAX) })),
    );
  },
};
