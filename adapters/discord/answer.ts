/**
 * One way to answer a question on Discord, for /csec and mentions: the server's settings, the engine,
 * the rate limit, counters, the moderator alert (sent first, so the reply can say it was), and the
 * region picker where the server has no region of its own.
 */
import { type Client, Routes } from "discord.js";
import { type RegionChoice, regionChoices } from "../../src/adapter.js";
import type { Alert, Place } from "../../src/communities.js";
import { answerCommand } from "../../src/engine/commands.js";
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
  answer: (options: ReturnType<CommandContext["communities"]["askOptions"]>) => Reply = (options) =>
    answerCommand(ctx.engine, asked.text, options).reply,
): Promise<{ reply: Reply; regions?: RegionChoice[] }> {
  const { communities, engine } = ctx;
  const place: Place = { platform: "discord", community: asked.guild, private: asked.private };
  const settings = await communities.settings(place);
  let reply = await ctx.gate(answer(communities.askOptions(settings, ctx.last.get(asked.conversation))), {
    user: asked.user,
    team: asked.guild ?? undefined,
  });
  ctx.last.remember(asked.conversation, reply);
  if (settings.collectUnanswered) ctx.lastQuestions.set(`${asked.guild}:${asked.user}`, asked.text);
  const alert = communities.alertFor(place, settings, reply);
  if (alert && settings.alertChannel && (await sendAlert(ctx, client, settings.alertChannel, alert, asked))) {
    reply = engine.noteAlert(reply);
  }
  void communities.record(place, settings, reply, asked.text);
  const regions = communities.wantsRegionPicker(settings, reply) ? regionChoices(engine, reply) : undefined;
  return { reply, regions };
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
