/** Every application command the bot registers and handles. */
import { csec } from "./csec.js";
import { sendSupportResources } from "./send-support-resources.js";

export const slashCommands = [csec];
export const messageMenuCommands = [sendSupportResources];

/** The JSON Discord receives at registration. */
export function commandDefinitions() {
  return [...slashCommands.map((c) => c.data.toJSON()), ...messageMenuCommands.map((c) => c.data.toJSON())];
}
