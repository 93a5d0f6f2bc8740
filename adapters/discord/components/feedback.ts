/** "Helpful" / "Not helpful" under an answer: logged as metadata (the fact id, if the base knows it). */
import { MessageFlags } from "discord.js";
import { hashId } from "../../../src/log.js";
import { PREFIX } from "./ids.js";
import type { ButtonComponent } from "./types.js";

function feedback(helpful: boolean): ButtonComponent {
  return {
    prefix: helpful ? PREFIX.helpful : PREFIX.notHelpful,
    async execute(interaction, value, { engine, log }) {
      // only an id the base knows is logged: a forged custom id is user-controlled text
      const factId = engine.fact(value) ? value : "unknown";
      log.info({ event: "feedback", adapter: "discord", helpful, factId, user: hashId(interaction.user.id) });
      await interaction.reply({ content: engine.knowledge.replies.ui.feedback_thanks, flags: MessageFlags.Ephemeral });
    },
  };
}

export const helpful = feedback(true);
export const notHelpful = feedback(false);
