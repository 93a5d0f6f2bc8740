/** One module per command, as in the discord.js guide: its definition and what it does. */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  ContextMenuCommandBuilder,
  MessageContextMenuCommandInteraction,
  SlashCommandSubcommandsOnlyBuilder,
} from "discord.js";
import type { Engine } from "../../../src/engine/engine.js";
import type { Reply } from "../../../src/engine/reply.js";
import type { Logger } from "../../../src/log.js";

export interface CommandContext {
  engine: Engine;
  log: Logger;
  /** log one handled request: metadata only */
  record: (event: string, reply: Reply, started: number, userId?: string) => void;
}

export interface SlashCommand {
  data: SlashCommandSubcommandsOnlyBuilder;
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  autocomplete(interaction: AutocompleteInteraction, ctx: CommandContext): Promise<void>;
}

export interface MessageMenuCommand {
  data: ContextMenuCommandBuilder;
  execute(interaction: MessageContextMenuCommandInteraction, ctx: CommandContext): Promise<void>;
}
