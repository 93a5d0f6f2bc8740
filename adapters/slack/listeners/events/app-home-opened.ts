/** The App Home tab: what the bot does, how to ask, the topics, the region's lines. */
import type { App, types } from "@slack/bolt";
import { hashId } from "../../../../src/log.js";
import { renderHome } from "../../blocks.js";
import type { ListenerContext } from "../context.js";

export function register(app: App, ctx: ListenerContext): void {
  const { engine, log } = ctx;
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    try {
      const view = renderHome(
        { help: engine.help(), topics: engine.topics(), resources: engine.resources() },
        engine.knowledge.replies,
      );
      await client.views.publish({ user_id: event.user, view: view as types.HomeView });
      log.info({ event: "app_home", adapter: "slack", user: hashId(event.user) });
    } catch (err) {
      ctx.failed("app_home", err);
    }
  });
}
