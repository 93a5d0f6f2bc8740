/**
 * Every button the bot's messages carry, in one table: action id -> what pressing it does. The value
 * is a fact id from the client, so it is looked up in the base before use and never logged as sent.
 */
import type { App, RespondFn } from "@slack/bolt";
import { hashId } from "../../../../src/log.js";
import { ACTION, renderReply } from "../../blocks.js";
import type { ListenerContext } from "../context.js";

type ActionId = (typeof ACTION)[keyof typeof ACTION];
interface Pressed {
  value: string | undefined;
  user: string;
  respond: RespondFn;
}

/** A topic, shown privately (shareable) or posted for the channel. */
function topic(event: "share" | "related", visible: boolean) {
  return async (ctx: ListenerContext, { value, user, respond }: Pressed) => {
    const started = performance.now();
    const reply = value ? ctx.engine.fact(value) : null;
    if (!reply) return ctx.expired(respond);
    await respond({
      response_type: visible ? "in_channel" : "ephemeral",
      replace_original: false,
      ...renderReply(reply, ctx.engine.knowledge.replies, { share: !visible }),
    });
    ctx.record(event, reply, started, { user });
  };
}

function feedback(helpful: boolean) {
  return async (ctx: ListenerContext, { value, user, respond }: Pressed) => {
    const factId = value && ctx.engine.fact(value) ? value : "unknown";
    ctx.log.info({ event: "feedback", adapter: "slack", helpful, factId, user: hashId(user) });
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      text: ctx.engine.knowledge.replies.ui.feedback_thanks,
    });
  };
}

/** action id -> the event name its logs use, and what pressing it does */
export const ACTIONS: Record<ActionId, { event: string; handle: (ctx: ListenerContext, p: Pressed) => Promise<void> }> =
  {
    [ACTION.share]: { event: "share", handle: topic("share", true) },
    [ACTION.related]: { event: "related", handle: topic("related", false) },
    [ACTION.helpful]: { event: "feedback", handle: feedback(true) },
    [ACTION.notHelpful]: { event: "feedback", handle: feedback(false) },
  };

export function register(app: App, ctx: ListenerContext): void {
  for (const [id, { event, handle }] of Object.entries(ACTIONS)) {
    app.action(id, async ({ ack, action, respond, body }) => {
      await ack();
      const value = "value" in action ? action.value : undefined;
      try {
        await handle(ctx, { value, user: body.user.id, respond });
      } catch (err) {
        ctx.failed(event, err);
      }
    });
  }
}
