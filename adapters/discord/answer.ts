/**
 * A question on Discord (/csec, a mention, a direct message), answered through the community's one
 * answer path (`Communities.answer`); what is Discord's own here is the alert's post.
 */
import { type Client, Routes } from "discord.js";
import type { RegionChoice } from "../../src/adapter.js";
import type { Alert } from "../../src/communities.js";
import { answerCommand } from "../../src/engine/commands.js";
import type { AskOptions } from "../../src/engine/engine.js";
import { fill, type Reply } from "../../src/engine/reply.js";
import type { CommandContext } from "./commands/types.js";
import { defuse } from "./embeds.js";

export interface AskedOnDiscord {
  guild: string | null;
  channel: string;
  user: string;
  /** the message's id, for a link to it in an alert (absent for a slash command) */
  message?: string;
  text: string;
  conversation: string;
  private: boolean;
}

export async function answerOnDiscord(
  ctx: CommandContext,
  client: Client,
  asked: AskedOnDiscord,
  produce: (options: AskOptions) => Reply = (options) => answerCommand(ctx.engine, asked.text, options).reply,
): Promise<{ reply: Reply; regions?: RegionChoice[] }> {
  return ctx.communities.answer(
    {
      place: { platform: "discord", community: asked.guild, private: asked.private },
      user: asked.user,
      text: asked.text,
      conversation: asked.conversation,
    },
    {
      last: ctx.last,
      lastQuestions: ctx.lastQuestions,
      gate: ctx.gate,
      produce,
      sendAlert: (channel, alert) => sendAlert(ctx, client, channel, alert, asked),
    },
  );
}

/** The alert: what kind, which rule, where (a link to the message, or the channel), who; never the text. */
async function sendAlert(
  ctx: CommandContext,
  client: Client,
  channel: string,
  alert: Alert,
  asked: AskedOnDiscord,
): Promise<boolean> {
  const copy = ctx.engine.knowledge.replies.alerts;
  const where = asked.message
    ? `https://discord.com/channels/${asked.guild}/${asked.channel}/${asked.message}`
    : `<#${asked.channel}>`;
  const content = [
    defuse(fill(copy[alert.kind], { rule: alert.rule })),
    fill(copy.where, { where }),
    fill(copy.who, { who: `<@${asked.user}>` }),
  ].join("\n");
  try {
    // the member is named, not pinged; the moderators read the channel
    await client.rest.post(Routes.channelMessages(channel), { body: { content, allowed_mentions: { parse: [] } } });
    ctx.log.info({ event: "alert_sent", adapter: "discord", kind: alert.kind, rule: alert.rule });
    return true;
  } catch (err) {
    ctx.failed("alert", err);
    return false;
  }
}
