/** Message context menu for moderators: reply to a worrying message with help lines, never quoting it. */
import { ApplicationCommandType, ContextMenuCommandBuilder, MessageFlags, PermissionFlagsBits } from "discord.js";
import { renderReply } from "../embeds.js";
import type { MessageMenuCommand } from "./types.js";

export const sendSupportResources: MessageMenuCommand = {
  data: new ContextMenuCommandBuilder()
    .setName("Send support resources")
    .setType(ApplicationCommandType.Message)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages),

  async execute(interaction, { engine, record, log }) {
    const started = performance.now();
    const reply = engine.resources();
    try {
      await interaction.targetMessage.reply(renderReply(reply));
      await interaction.reply({ content: "Support resources were posted as a reply.", flags: MessageFlags.Ephemeral });
      record("context_menu", reply, started, interaction.user.id);
    } catch (err) {
      log.error({ event: "context_menu", adapter: "discord", error: (err as Error)?.name ?? "Error" });
      await interaction
        .reply({ content: "Sorry, the resources could not be posted there.", flags: MessageFlags.Ephemeral })
        .catch(() => {});
    }
  },
};
