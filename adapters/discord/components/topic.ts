/** "Related topic" (shown privately, shareable), "Share in channel" (posted for everyone) and a topic group. */
import { MessageFlags } from "discord.js";
import type { Engine } from "../../../src/engine/engine.js";
import type { Reply } from "../../../src/engine/reply.js";
import { type EmbedOptions, renderReply } from "../embeds.js";
import { PREFIX, type Prefix } from "./ids.js";
import type { ButtonComponent } from "./types.js";

/**
 * A button whose press shows one reply the engine finds from the button's value (null: the button
 * has expired), recorded under `event`.
 */
function replyButton(
  prefix: Prefix,
  event: string,
  find: (engine: Engine, value: string) => Reply | null,
  options: EmbedOptions,
): ButtonComponent {
  return {
    prefix,
    async execute(interaction, value, { engine, record }) {
      const started = performance.now();
      const reply = find(engine, value);
      if (!reply) return expired(interaction, engine.knowledge.replies.expired);
      await interaction.reply(renderReply(reply, engine.knowledge.replies, options));
      record(event, reply, started, { user: interaction.user.id });
    },
  };
}

export const relatedTopic = replyButton(PREFIX.related, "related", (e, id) => e.fact(id), {
  ephemeral: true,
  share: true,
});

export const shareAnswer = replyButton(PREFIX.share, "share", (e, id) => e.fact(id), {});

/** A topic group's button on the topics list: that group's topics, shown privately. */
export const topicGroup = replyButton(PREFIX.topics, "topics", (e, name) => e.topicGroup(name), { ephemeral: true });

/** An old message's button, a topic since removed, or a forged id: answered at once. */
export async function expired(
  interaction: { reply: (o: { content: string; flags: number }) => Promise<unknown> },
  text: string,
): Promise<void> {
  await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
}
