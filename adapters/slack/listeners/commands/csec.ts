/** /csec [question | topics | define TERM | resources [REGION] | help] */
import type { App } from "@slack/bolt";
import { answerCommand } from "../../../../src/engine/commands.js";
import { renderReply } from "../../blocks.js";
import type { ListenerContext } from "../context.js";

export function register(app: App, ctx: ListenerContext): void {
  const { engine, last } = ctx;
  app.command("/csec", async ({ command, ack }) => {
    const started = performance.now();
    const conversation = `${command.team_id}:${command.channel_id}:${command.user_id}`;
    const answered = answerCommand(engine, command.text, engine.region, last.get(conversation));
    const parsed = answered.command;
    const reply = ctx.gate(answered.reply, { user: command.user_id, team: command.team_id });
    last.remember(conversation, reply);
    // Moderators post resources for others to see; everything else is shown only to the asker.
    const visible = parsed.name === "resources" && !reply.sensitive;
    try {
      await ack({
        response_type: visible ? "in_channel" : "ephemeral",
        ...renderReply(reply, engine.knowledge.replies, { share: reply.kind === "answer" }),
      });
      ctx.record("slash_command", reply, started, { user: command.user_id, team: command.team_id });
    } catch (err) {
      ctx.failed("slash_command", err);
    }
  });
}
