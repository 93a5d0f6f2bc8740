/** /csec [question | topics | define TERM | resources [REGION] | help | settings | report] */
import type { App } from "@slack/bolt";
import { renderReply } from "../../blocks.js";
import { openSettings, sendReport } from "../admin.js";
import { answerInSlack } from "../answer.js";
import type { ListenerContext } from "../context.js";

export function register(app: App, ctx: ListenerContext): void {
  const { engine } = ctx;
  app.command("/csec", async ({ command, ack, client, respond }) => {
    const started = performance.now();
    const word = command.text.trim().toLowerCase();
    // admin commands: the workspace's settings (a modal) and its report, for admins and owners only
    if (word === "settings" || word === "report") {
      await ack();
      const admin = { team: command.team_id, user: command.user_id, triggerId: command.trigger_id };
      await (word === "settings" ? openSettings(ctx, client, respond, admin) : sendReport(ctx, client, respond, admin));
      return;
    }
    const {
      command: parsed,
      reply,
      regions,
    } = await answerInSlack(ctx, client, {
      team: command.team_id,
      channel: command.channel_id,
      user: command.user_id,
      text: command.text,
      conversation: `${command.team_id}:${command.channel_id}:${command.user_id}`,
      private: true,
    });
    // Moderators post resources for others to see; everything else is shown only to the asker.
    const visible = parsed.name === "resources" && !reply.sensitive;
    try {
      await ack({
        response_type: visible ? "in_channel" : "ephemeral",
        ...renderReply(reply, engine.knowledge.replies, { share: reply.kind === "answer", regions }),
      });
      ctx.record("slash_command", reply, started, { user: command.user_id, team: command.team_id });
    } catch (err) {
      ctx.failed("slash_command", err);
    }
  });
}
