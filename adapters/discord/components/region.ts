/** A region button: the same safety reply again, privately, for the region chosen. */
import { parseRegionChoice } from "../../../src/adapter.js";
import { renderReply } from "../embeds.js";
import { PREFIX } from "./ids.js";
import { expired } from "./topic.js";
import type { ButtonComponent } from "./types.js";

export const pickRegion: ButtonComponent = {
  prefix: PREFIX.region,
  async execute(interaction, value, { engine, communities, record }) {
    const started = performance.now();
    const choice = parseRegionChoice(value);
    if (!choice) return expired(interaction, engine.knowledge.replies.expired);
    const settings = await communities.settings({ platform: "discord", community: interaction.guildId, private: true });
    const reply = engine.rerender(
      choice.route,
      choice.region,
      choice.variant,
      choice.rule,
      settings.safeguardingContact,
    );
    if (!reply) return expired(interaction, engine.knowledge.replies.expired);
    await interaction.reply(renderReply(reply, engine.knowledge.replies, { ephemeral: true }));
    record("region_picked", reply, started, { user: interaction.user.id, team: interaction.guildId ?? undefined });
  },
};
