/** A mention in a channel: answered in its thread; a sensitive reply only to the person who asked. */
import type { App } from "@slack/bolt";
import { renderReply } from "../../blocks.js";
import { answerInSlack } from "../answer.js";
import type { ListenerContext } from "../context.js";

export function register(app: App, ctx: ListenerContext): void {
  const { engine } = ctx;
  app.event("app_mention", async ({ event, client, context, body }) => {
    const started = performance.now();
    const thread_ts = event.thread_ts ?? event.ts;
    // the workspace the event came from (the envelope's team), else the one the bot is installed in
    const team = event.team ?? body.team_id ?? context.teamId;
    const { reply, regions } = await answerInSlack(ctx, client, {
      team,
      channel: event.channel,
      user: event.user,
      ts: event.ts,
      text: event.text,
      conversation: `${team}:${event.channel}:${thread_ts}:${event.user}`,
      private: false,
    });
    const message = renderReply(reply, engine.knowledge.replies, { regions });
    try {
      if (reply.sensitive && event.user) {
        await client.chat.postEphemeral({ channel: event.channel, user: event.user, thread_ts, ...message });
      } else {
        await client.chat.postMessage({ channel: event.channel, thread_ts, unfurl_links: false, ...message });
      }
      ctx.record("mention", reply, started, { user: event.user, team });
    } catch (err) {
      ctx.failed("mention", err);
    }
  });
}
