/**
 * One way to answer a message in Slack, for the slash command, mentions and direct messages: the
 * workspace's settings, the engine, the rate limit, counters, the moderator alert (sent first, so the
 * reply can say it was), and the region picker where the workspace has no region of its own.
 */
import type { webApi } from "@slack/bolt";
import { type RegionChoice, regionChoices } from "../../../src/adapter.js";
import type { Alert, Place } from "../../../src/communities.js";
import { answerCommand, type Command } from "../../../src/engine/commands.js";
import { fill, type Reply } from "../../../src/engine/reply.js";
import { escapeMrkdwn } from "../blocks.js";
import type { ListenerContext } from "./context.js";

export interface Asked {
  team?: string;
  channel: string;
  user?: string;
  /** the message's ts, for a link to it in an alert (absent for a slash command) */
  ts?: string;
  text: string;
  conversation: string;
  private: boolean;
}

export interface Answered {
  command: Command;
  reply: Reply;
  regions?: RegionChoice[];
}

/** An alert's post may take this long before the reply goes without saying moderators were told. */
const ALERT_WAIT_MS = 1500;

export async function answerInSlack(ctx: ListenerContext, client: webApi.WebClient, asked: Asked): Promise<Answered> {
  const { engine, communities, last } = ctx;
  const place: Place = { platform: "slack", community: asked.team, private: asked.private };
  const settings = await communities.settings(place);
  const answered = answerCommand(engine, asked.text, communities.askOptions(settings, last.get(asked.conversation)));
  let reply = await ctx.gate(answered.reply, { user: asked.user, team: asked.team });
  last.remember(asked.conversation, reply);
  if (settings.collectUnanswered && asked.user) ctx.lastQuestions.set(`${asked.team}:${asked.user}`, asked.text);
  const alert = communities.alertFor(place, settings, reply);
  if (alert && settings.alertChannel) {
    const sent = sendAlert(ctx, client, settings.alertChannel, alert, asked);
    if (await withinTime(sent, ALERT_WAIT_MS)) reply = engine.noteAlert(reply);
  }
  void communities.record(place, settings, reply, asked.text);
  const regions = communities.wantsRegionPicker(settings, reply) ? regionChoices(engine, reply) : undefined;
  return { command: answered.command, reply, regions };
}

async function withinTime(work: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([work, late]);
  clearTimeout(timer);
  return result;
}

/** The alert: what kind, which rule, where (a link to the message, or the channel), who; never the text. */
async function sendAlert(
  ctx: ListenerContext,
  client: webApi.WebClient,
  channel: string,
  alert: Alert,
  asked: Asked,
): Promise<boolean> {
  const copy = ctx.engine.knowledge.replies.alerts;
  try {
    let where = `<#${asked.channel}>`;
    if (asked.ts) {
      const link = await client.chat
        .getPermalink({ channel: asked.channel, message_ts: asked.ts })
        .catch(() => undefined);
      if (link?.permalink) where = `<${link.permalink}|a message> in <#${asked.channel}>`;
    }
    const lines = [
      escapeMrkdwn(fill(copy[alert.kind], { rule: alert.rule })),
      fill(copy.where, { where }),
      ...(asked.user ? [fill(copy.who, { who: `<@${asked.user}>` })] : []),
    ];
    await client.chat.postMessage({ channel, text: lines.join("\n"), unfurl_links: false });
    ctx.log.info({ event: "alert_sent", adapter: "slack", kind: alert.kind, rule: alert.rule });
    return true;
  } catch (err) {
    ctx.failed("alert", err);
    return false;
  }
}
