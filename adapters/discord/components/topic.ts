/** "Related topic" (shown privately, shareable), "Share in channel" (posted for everyone) and a topic group. */
import { MessageFlags } from "discord.js";
import { renderReply } from "../embeds.js";
import { PREFIX } from "./ids.js";
import type { ButtonComponent } from "./types.js";

export const relatedTopic: ButtonComponent = {
  prefix: PREFIX.related,
  async execute(interaction, value, { engine, record }) {
    const started = performance.now();
    const reply = engine.fact(value);
    if (!reply) return expired(interaction, engine.knowledge.replies.expired);
    await interaction.reply(renderReply(reply, engine.knowledge.replies, { ephemeral: true, share: true }));
    record("related", reply, started, { user: interaction.user.id });
  },
};

export const shareAnswer: ButtonComponent = {
  prefix: PREFIX.share,
  async execute(interaction, value, { engine, record }) {
    const started = performance.now();
    const reply = engine.fact(value);
    if (!reply) return expired(interaction, engine.knowledge.replies.expired);
    await interaction.reply(renderReply(reply, engine.knowledge.replies));
    record("share", reply, started, { user: interaction.user.id });
  },
};

/** A topic group's button on the topics list: that group's topics, shown privately. */
export const topicGroup: ButtonComponent = {
  prefix: PREFIX.topics,
  async execute(interaction, value, { engine, record }) {
    const started = performance.now();
    const reply = engine.topicGroup(value);
    if (!reply) return expired(interaction, engine.knowledge.replies.expired);
    await interaction.reply(renderReply(reply, engine.knowledge.replies, { ephemeral: true }));
    record("topics", reply, started, { user: interaction.user.id });
  },
};

/** An old message's button, a topic since removed, or a forged id: answered at once. */
export async function expired(
  interaction: { reply: (o: { content: string; flags: number }) => Promise<unknown> },
  text: string,
): Promise<void> {
  await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
}
