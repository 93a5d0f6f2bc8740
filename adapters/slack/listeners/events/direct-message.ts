/** A direct message to the bot (its own messages and edits are ignored). */
import type { App } from "@slack/bolt";
import { respond } from "../../../../src/engine/commands.js";
import { renderReply } from "../../blocks.js";
import type { ListenerContext } from "../context.js";

export function register(app: App, ctx: ListenerContext): void {
  const { engine, last } = ctx;
  app.message(async ({ message, client }) => {
    if (message.channel_type !== "im" || message.subtype !== undefined || !("text" in message)) return;
    if ("bot_id" in message && message.bot_id) return;
    const started = performance.now();
    const user = "user" in message ? message.user : undefined;
    const conversation = `${message.channel}:${user ?? ""}`;
    const team = "team" in message && typeof message.team === "string" ? message.team : undefined;
    const reply = ctx.gate(respond(engine, message.text ?? "", engine.region, last.get(conversation)), { user, team });
    last.remember(conversation, reply);
    try {
      await client.chat.postMessage({
        channel: message.channel,
        unfurl_links: false,
        ...renderReply(reply, engine.knowledge.replies),
      });
      ctx.record("direct_message", reply, started, { user });
    } catch (err) {
      ctx.failed("direct_message", err);
    }
  });
}
