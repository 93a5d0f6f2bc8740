/** A direct message to the bot (its own messages and edits are ignored). */
import type { App } from "@slack/bolt";
import { renderReply } from "../../blocks.js";
import { answerInSlack } from "../answer.js";
import type { ListenerContext } from "../context.js";

export function register(app: App, ctx: ListenerContext): void {
  const { engine } = ctx;
  app.message(async ({ message, client, context }) => {
    if (message.channel_type !== "im" || message.subtype !== undefined || !("text" in message)) return;
    if ("bot_id" in message && message.bot_id) return;
    const started = performance.now();
    const user = "user" in message ? message.user : undefined;
    const team = context.teamId ?? ("team" in message && typeof message.team === "string" ? message.team : undefined);
    const { reply, regions } = await answerInSlack(ctx, client, {
      team,
      channel: message.channel,
      user,
      ts: message.ts,
      text: message.text ?? "",
      conversation: `${message.channel}:${user ?? ""}`,
      private: true,
    });
    try {
      await client.chat.postMessage({
        channel: message.channel,
        unfurl_links: false,
        ...renderReply(reply, engine.knowledge.replies, { regions }),
      });
      ctx.record("direct_message", reply, started, { user, team });
    } catch (err) {
      ctx.failed("direct_message", err);
    }
  });
}
