/**
 * A message in Slack (the slash command, a mention, a direct message), answered through the
 * community's one answer path (`Communities.answer`); what is Slack's own here is the alert's post.
 */
import type { webApi } from "@slack/bolt";
import type { RegionChoice } from "../../../src/adapter.js";
import type { Alert } from "../../../src/communities.js";
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
  let command: Command = { name: "ask", question: asked.text };
  const { reply, regions } = await ctx.communities.answer(
    {
      place: { platform: "slack", community: asked.team, private: asked.private },
      user: asked.user,
      text: asked.text,
      conversation: asked.conversation,
    },
    {
      last: ctx.last,
      lastQuestions: ctx.lastQuestions,
      gate: ctx.gate,
      produce: (options) => {
        const answered = answerCommand(ctx.engine, asked.text, options);
        command = answered.command;
        return answered.reply;
      },
      sendAlert: (channel, alert) => sendAlert(ctx, client, channel, alert, asked),
      // a slash command's ack must go within Slack's 3 s
      alertWaitMs: ALERT_WAIT_MS,
    },
  );
  return { command, reply, regions };
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
