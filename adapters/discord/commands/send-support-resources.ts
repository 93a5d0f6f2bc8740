/** Message context menu for moderators: reply to a worrying message with help lines, never quoting it. */
import { ApplicationCommandType, ContextMenuCommandBuilder, MessageFlags, PermissionFlagsBits } from "discord.js";
import { renderReply } from "../embeds.js";
import type { MessageMenuCommand } from "./types.js";

export const sendSupportResources: MessageMenuCommand = {
  data: new ContextMenuCommandBuilder()
    .setName("Send support resources")
    .setType(ApplicationCommandType.Message)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages),

  async execute(interaction, { engine, record, failed, communities }) {
    const started = performance.now();
    const settings = await communities.settings({
      platform: "discord",
      community: interaction.guildId,
      private: false,
    });
    const reply = engine.resources(settings.region ?? engine.region);
    const ui = engine.knowledge.replies.ui;
    try {
      await interaction.targetMessage.reply(renderReply(reply, engine.knowledge.replies));
      await interaction.reply({ content: ui.resources_posted_reply, flags: MessageFlags.Ephemeral });
      record("context_menu", reply, started, { user: interaction.user.id });
    } catch (err) {
      failed("context_menu", err);
      await interaction
        .reply({ content: ui.resources_failed, flags: MessageFlags.Ephemeral })
        .catch((e: unknown) => failed("context_menu", e));
    }
  },
};
