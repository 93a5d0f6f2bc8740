/** Starts the Slack adapter from the environment (called by `npm start` when SLACK_BOT_TOKEN is set). */
import { Server } from "node:http";
import type { AdapterStartOptions } from "../../src/adapter.js";
import { createSlackApp } from "./app.js";
import { slackConfigFromEnv } from "./config.js";

export async function startSlack({ engine, env, log, health, metrics, rateLimit, store }: AdapterStartOptions) {
  const config = slackConfigFromEnv(env);
  const adapter = createSlackApp({ engine, config, log, health, metrics, rateLimit, store });
  const server = (await adapter.app.start(config.port)) as unknown;
  if (server instanceof Server) {
    // longer than load balancers' idle timeouts (60 s on the common ones), so they close first
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  // HTTP mode serves once it listens; Socket Mode reports from its socket's events (app.ts)
  if (config.mode === "http") health?.connected("slack");
  log.info({
    event: "started",
    adapter: "slack",
    mode: config.mode,
    port: config.mode === "http" ? config.port : undefined,
  });
  return adapter;
}
