/** Every application command the bot registers and handles, by name (as in the discord.js guide). */
import { Collection } from "discord.js";
import { csec } from "./csec.js";
import { sendSupportResources } from "./send-support-resources.js";
import { csecSettings } from "./settings.js";
import type { MessageMenuCommand, SlashCommand } from "./types.js";

export const slashCommands = new Collection<string, SlashCommand>([csec, csecSettings].map((c) => [c.data.name, c]));
export const messageMenuCommands = new Collection<string, MessageMenuCommand>([
  [sendSupportResources.data.name, sendSupportResources],
]);

/** The JSON Discord receives at registration. */
export function commandDefinitions() {
  return [...slashCommands.map((c) => c.data.toJSON()), ...messageMenuCommands.map((c) => c.data.toJSON())];
}
