/** Starts the Slack adapter from the environment (called by `npm start` when SLACK_BOT_TOKEN is set). */
import type { AdapterStartOptions } from "../../src/adapter.js";
import { createSlackApp } from "./app.js";
import { slackConfigFromEnv } from "./config.js";

export async function startSlack({ engine, env, log, health }: AdapterStartOptions) {
  const config = slackConfigFromEnv(env);
  const adapter = createSlackApp({ engine, config, log, health });
  await adapter.app.start(config.port);
  log.info({
    event: "started",
    adapter: "slack",
    mode: config.mode,
    port: config.mode === "http" ? config.port : undefined,
  });
  return adapter;
}
