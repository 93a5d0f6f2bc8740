/**
 * `npm start`: starts every adapter whose configuration is present (Slack with SLACK_BOT_TOKEN,
 * Discord with DISCORD_TOKEN); with neither, opens the terminal chat. This is the composition root:
 * the only module that knows about both the engine and the adapters.
 */
import { startConsoleChat } from "../adapters/console/chat.js";
import { engineFromEnv } from "./bootstrap.js";
import { ConfigError } from "./config.js";
import { KnowledgeError } from "./knowledge/load.js";
import { createLogger } from "./log.js";
import { onShutdown, type Stop } from "./shutdown.js";

async function run(): Promise<void> {
  const env = process.env;
  const engine = await engineFromEnv(env);
  const log = createLogger();
  const starting: Promise<Stop>[] = [];
  if (env.SLACK_BOT_TOKEN) {
    const { startSlack } = await import("../adapters/slack/start.js");
    starting.push(startSlack({ engine, env, log }).then((adapter) => adapter.stop));
  }
  if (env.DISCORD_TOKEN) {
    const { startDiscord } = await import("../adapters/discord/start.js");
    const { stopDiscordClient } = await import("../adapters/discord/client.js");
    starting.push(
      startDiscord({ engine, env, log }).then((running) =>
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
  onShutdown(await Promise.all(starting), log);
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
