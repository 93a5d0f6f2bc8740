/** The App Home tab: what the bot does, how to ask, the topics, the workspace's lines; the report for admins. */
import type { App, types } from "@slack/bolt";
import { hashId } from "../../../../src/log.js";
import { renderHome } from "../../blocks.js";
import { homeReportBlocks, isAdmin } from "../admin.js";
import type { ListenerContext } from "../context.js";

export function register(app: App, ctx: ListenerContext): void {
  const { engine, log } = ctx;
  app.event("app_home_opened", async ({ event, client, context }) => {
    if (event.tab !== "home") return;
    try {
      const team = context.teamId;
      const settings = await ctx.communities.settings({ platform: "slack", community: team, private: true });
      const region = settings.region ?? engine.region;
      const view = renderHome(
        { help: engine.help(region), topics: engine.topics(), resources: engine.resources(region) },
        engine.knowledge.replies,
      );
      if (await isAdmin(client, event.user)) view.blocks.push(...(await homeReportBlocks(ctx, team)));
      await client.views.publish({ user_id: event.user, view: view as types.HomeView });
      log.info({ event: "app_home", adapter: "slack", user: hashId(event.user) });
    } catch (err) {
      ctx.failed("app_home", err);
    }
  });
}
