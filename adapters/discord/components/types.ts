/** One module per kind of button, found by its custom id's prefix (ids.ts), as commands are by name. */
import type { ButtonInteraction } from "discord.js";
import type { CommandContext } from "../commands/types.js";
import type { Prefix } from "./ids.js";

export interface ButtonComponent {
  prefix: Prefix;
  /** `value` is the id's part after the prefix: unchecked, from the client */
  execute(interaction: ButtonInteraction, value: string, ctx: CommandContext): Promise<void>;
}
