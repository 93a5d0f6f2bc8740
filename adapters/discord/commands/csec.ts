/** /csec ask | define | resources | topics | help */
import { type ChatInputCommandInteraction, SlashCommandBuilder } from "discord.js";
import type { AskOptions, Engine } from "../../../src/engine/engine.js";
import type { Reply } from "../../../src/engine/reply.js";
import { parseRegion, REGION_CODES } from "../../../src/knowledge/regions.js";
import { answerOnDiscord } from "../answer.js";
import { renderReply } from "../embeds.js";
import type { SlashCommand } from "./types.js";

const CHOICE_MAX = 100;

type Options = AskOptions;

/**
 * Each subcommand: the reply (with the server's region and contact), and whether it is posted for the
 * channel to see. Moderators post resources for the person they are helping; everything else is shown
 * only to the asker.
 */
const SUBCOMMANDS: Record<
  string,
  (i: ChatInputCommandInteraction, engine: Engine, options: Options) => { reply: Reply; visible: boolean }
> = {
  ask: (i, engine, o) => ({ reply: engine.answer(i.options.getString("question", true), o), visible: false }),
  define: (i, engine, o) => ({ reply: engine.define(i.options.getString("term", true), o.region), visible: false }),
  resources: (i, engine, o) => ({
    reply: engine.resources(parseRegion(i.options.getString("region")) ?? o.region ?? engine.region),
    visible: true,
  }),
  topics: (_i, engine, o) => ({ reply: engine.topicsReply(o.region), visible: false }),
  help: (_i, engine, o) => ({ reply: engine.help(o.region), visible: false }),
};

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

  async execute(interaction, ctx) {
    const { engine, record, log } = ctx;
    const started = performance.now();
    const sub = interaction.options.getSubcommand();
    const handler = SUBCOMMANDS[sub];
    if (!handler) {
      log.warn({ event: "unknown_id", adapter: "discord", kind: "subcommand" });
      await interaction.reply({ content: engine.knowledge.replies.expired, flags: 64 });
      return;
    }
    let visible = false;
    const { reply, regions } = await answerOnDiscord(
      ctx,
      interaction.client,
      {
        guild: interaction.guildId,
        channel: interaction.channelId,
        user: interaction.user.id,
        text: interaction.options.getString("question") ?? interaction.options.getString("term") ?? sub,
        conversation: `${interaction.channelId}:${interaction.user.id}`,
        private: true,
      },
      (options) => {
        const handled = handler(interaction, engine, options);
        visible = handled.visible;
        return handled.reply;
      },
    );
    // urgent and refused replies are never shareable, and a sensitive reply is never posted visibly
    const shown = visible && !reply.sensitive;
    await interaction.reply(
      renderReply(reply, engine.knowledge.replies, {
        ephemeral: !shown,
        share: !shown && reply.kind === "answer",
        regions,
      }),
    );
    // only a known subcommand becomes part of an event name
    record(`command_${sub}`, reply, started, { user: interaction.user.id });
  },

  async autocomplete(interaction, { engine }) {
    const focused = interaction.options.getFocused(true);
    const found = focused.name === "term" ? engine.completeTerm(focused.value) : engine.autocomplete(focused.value);
    await interaction.respond(
      found.slice(0, 25).map((text) => ({ name: text.slice(0, CHOICE_MAX), value: text.slice(0, CHOICE_MAX) })),
    );
  },
};
