/** "Helpful" / "Not helpful" under an answer: logged as metadata and counted per server and fact. */
import { MessageFlags } from "discord.js";
import { hashId } from "../../../src/log.js";
import { PREFIX } from "./ids.js";
import type { ButtonComponent } from "./types.js";

function feedback(helpful: boolean): ButtonComponent {
  return {
    prefix: helpful ? PREFIX.helpful : PREFIX.notHelpful,
    async execute(interaction, value, { engine, log, communities, lastQuestions }) {
      // only an id the base knows is logged or counted: a forged custom id is user-controlled text
      const known = engine.fact(value) ? value : null;
      log.info({
        event: "feedback",
        adapter: "discord",
        helpful,
        factId: known ?? "unknown",
        user: hashId(interaction.user.id),
      });
      if (known) {
        const question = lastQuestions.get(`${interaction.guildId}:${interaction.user.id}`) ?? null;
        const place = { platform: "discord" as const, community: interaction.guildId, private: true };
        await communities.feedback(place, known, helpful, question);
      }
      await interaction.reply({ content: engine.knowledge.replies.ui.feedback_thanks, flags: MessageFlags.Ephemeral });
    },
  };
}

export const helpful = feedback(true);
export const notHelpful = feedback(false);
