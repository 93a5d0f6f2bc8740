/** Every button the bot's messages carry, by custom id prefix. */
import { Collection } from "discord.js";
import { helpful, notHelpful } from "./feedback.js";
import { pickRegion } from "./region.js";
import { relatedTopic, shareAnswer, topicGroup } from "./topic.js";
import type { ButtonComponent } from "./types.js";

export const buttons = new Collection<string, ButtonComponent>(
  [relatedTopic, shareAnswer, topicGroup, helpful, notHelpful, pickRegion].map((b) => [b.prefix, b]),
);
