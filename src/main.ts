/**
 * `npm start`: starts every adapter whose configuration is present (Slack with SLACK_BOT_TOKEN,
 * Discord with DISCORD_TOKEN); with neither, opens the terminal chat. This is the composition root:
 * the only module that knows about both the engine and the adapters.
 */
import { startConsoleChat } from "../adapters/console/chat.js";
import { Health } from "./adapter.js";
import { engineFromEnv } from "./bootstrap.js";
import { ConfigError } from "./config.js";
import { KnowledgeError } from "./knowledge/load.js";
import { createLogger, describeError } from "./log.js";
import { onShutdown, type Stop } from "./shutdown.js";

async function run(): Promise<void> {
  const env = process.env;
  const engine = await engineFromEnv(env);
  const log = createLogger();
  const health = new Health();
  const starting: Promise<Stop>[] = [];
  if (env.SLACK_BOT_TOKEN) {
    const { startSlack } = await import("../adapters/slack/start.js");
    starting.push(startSlack({ engine, env, log, health }).then((adapter) => adapter.stop));
  }
  if (env.DISCORD_TOKEN) {
    const { startDiscord } = await import("../adapters/discord/start.js");
    const { stopDiscordClient } = await import("../adapters/discord/client.js");
    starting.push(
      startDiscord({ engine, env, log, health }).then((running) =>
        "destroy" in running
          ? () => stopDiscordClient(running)
          : () => Promise.all(running.shards.map((shard) => Promise.resolve(shard.kill()))),
      ),
    );
  }
  if (starting.length === 0) {
    await startConsoleChat({ engine, input: process.stdin, output: process.stdout });
    return;
  }
  guardProcess(log);
  const adapters = starting.length;
  // An adapter lost for good: with another still serving, /healthz says so (503); alone, exit 1.
  health.onFailure((adapter) => {
    if (adapters === 1) {
      log.error({ event: "exiting", adapter, reason: "the only adapter can no longer serve" });
      process.exit(1);
    }
  });
  onShutdown(await Promise.all(starting), log);
}

/**
 * The last guard: a payload the platforms never send can still make a library throw outside any
 * handler of ours (Bolt's receiver on a signed JSON `null`). It is logged, by message and code only,
 * and dropped; the bot keeps answering everyone else.
 */
function guardProcess(log: ReturnType<typeof createLogger>): void {
  process.on("unhandledRejection", (err) => log.error({ event: "unhandled_rejection", error: describeError(err) }));
  process.on("uncaughtException", (err) => log.error({ event: "uncaught_exception", error: describeError(err) }));
}

export async function main(): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof KnowledgeError) {
      process.stderr.write(`factbot: ${err.message}\n`);
    } else {
      process.stderr.write(`factbot: failed to start (${(err as Error)?.name ?? "error"})\n`);
    }
    process.exit(1);
  }
}
