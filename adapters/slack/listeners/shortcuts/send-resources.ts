/** Message shortcut for moderators: post the region's lines in the thread of a worrying message. */
import type { App } from "@slack/bolt";
import { renderReply } from "../../blocks.js";
import type { ListenerContext } from "../context.js";

export const SHORTCUT_SEND_RESOURCES = "send_support_resources";

export function register(app: App, ctx: ListenerContext): void {
  const { engine } = ctx;
  const ui = engine.knowledge.replies.ui;
  app.shortcut(SHORTCUT_SEND_RESOURCES, async ({ shortcut, ack, client, respond }) => {
    await ack();
    if (shortcut.type !== "message_action") return;
    const started = performance.now();
    const place = { platform: "slack" as const, community: shortcut.team?.id, private: false };
    const settings = await ctx.communities.settings(place);
    const reply = engine.resources(settings.region ?? engine.region);
    try {
      // A reply in the thread of the worrying message, which it never quotes.
      await client.chat.postMessage({
        channel: shortcut.channel.id,
        thread_ts: shortcut.message.thread_ts ?? shortcut.message.ts,
        unfurl_links: false,
        ...renderReply(reply, engine.knowledge.replies),
      });
      await respond({ response_type: "ephemeral", text: ui.resources_posted });
      ctx.record("shortcut", reply, started, { user: shortcut.user.id, team: shortcut.team?.id });
    } catch (err) {
      ctx.failed("shortcut", err);
      await respond({ response_type: "ephemeral", text: ui.resources_failed }).catch((e: unknown) =>
        ctx.failed("shortcut", e),
      );
    }
  });
}
