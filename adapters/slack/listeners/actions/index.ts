/**
 * Every button the bot's messages carry, in one table: action id -> what pressing it does. Values come
 * from the client, so a fact id is looked up in the base and a region choice is parsed before use;
 * neither is ever logged as sent.
 */
import type { App, RespondFn } from "@slack/bolt";
import { parseRegionChoice } from "../../../../src/adapter.js";
import { hashId } from "../../../../src/log.js";
import { ACTION, renderReply } from "../../blocks.js";
import type { ListenerContext } from "../context.js";

type ActionId = Exclude<(typeof ACTION)[keyof typeof ACTION], typeof ACTION.pickRegion>;
interface Pressed {
  value: string | undefined;
  user: string;
  team: string | undefined;
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
  return async (ctx: ListenerContext, { value, user, team, respond }: Pressed) => {
    const known = value && ctx.engine.fact(value) ? value : null;
    ctx.log.info({ event: "feedback", adapter: "slack", helpful, factId: known ?? "unknown", user: hashId(user) });
    if (known) {
      const question = ctx.lastQuestions.get(`${team}:${user}`) ?? null;
      await ctx.communities.feedback({ platform: "slack", community: team, private: true }, known, helpful, question);
    }
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

/** A region button ("pick_region:UK"): the same safety reply again, privately, for the region chosen. */
async function pickRegion(ctx: ListenerContext, { value, user, team, respond }: Pressed): Promise<void> {
  const started = performance.now();
  const choice = value ? parseRegionChoice(value) : null;
  if (!choice) return ctx.expired(respond);
  const settings = await ctx.communities.settings({ platform: "slack", community: team, private: true });
  const reply = ctx.engine.rerender(
    choice.route,
    choice.region,
    choice.variant,
    choice.rule,
    settings.safeguardingContact,
  );
  if (!reply) return ctx.expired(respond);
  await respond({
    response_type: "ephemeral",
    replace_original: false,
    ...renderReply(reply, ctx.engine.knowledge.replies),
  });
  ctx.record("region_picked", reply, started, { user, team });
}

export function register(app: App, ctx: ListenerContext): void {
  const entries: [string | RegExp, string, (ctx: ListenerContext, p: Pressed) => Promise<void>][] = [
    ...Object.entries(ACTIONS).map(([id, a]) => [id, a.event, a.handle] as [string, string, typeof a.handle]),
    [new RegExp(`^${ACTION.pickRegion}:[A-Z]+$`), "region_picked", pickRegion],
  ];
  for (const [id, event, handle] of entries) {
    app.action(id, async ({ ack, action, respond, body }) => {
      await ack();
      const value = "value" in action ? action.value : undefined;
      try {
        await handle(ctx, { value, user: body.user.id, team: body.team?.id, respond });
      } catch (err) {
        ctx.failed(event, err);
      }
    });
  }
}
