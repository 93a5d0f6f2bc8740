/** One module per command, as in the discord.js guide: its definition and what it does. */
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  ContextMenuCommandBuilder,
  MessageContextMenuCommandInteraction,
  SlashCommandSubcommandsOnlyBuilder,
} from "discord.js";
import type { LastAnswers, QuestionGate, RequestLog } from "../../../src/adapter.js";
import type { Communities } from "../../../src/communities.js";
import type { Engine } from "../../../src/engine/engine.js";
import type { Logger } from "../../../src/log.js";

/** What every command and component module is given. */
export interface CommandContext extends RequestLog {
  engine: Engine;
  log: Logger;
  /** the rate limit: a member's reply, or "please wait" (never instead of an urgent reply) */
  gate: QuestionGate;
  /** settings, counters and alerts per server (src/communities.ts) */
  communities: Communities;
  /** the last fact per conversation, for "tell me more" */
  last: LastAnswers;
  /** the last question per member, in memory, only in servers that keep unanswered questions */
  lastQuestions: Map<string, string>;
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
