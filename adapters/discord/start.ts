/**
 * Starts the Discord adapter from the environment (`npm start` with DISCORD_TOKEN set). With
 * FACTBOT_SHARDS it runs under discord.js's ShardingManager: one process per shard, each running
 * shard.ts; Discord requires sharding from 2,500 servers, and it spreads load well before that.
 */
import { Events, ShardingManager } from "discord.js";
import type { AdapterStartOptions } from "../../src/adapter.js";
import { createDiscordClient } from "./client.js";
import { type DiscordConfig, discordConfigFromEnv } from "./config.js";

// the shard's entry next to this file: shard.js when compiled, shard.ts (run through tsx) from source
const fromSource = import.meta.url.endsWith(".ts");
export const SHARD_ENTRY = new URL(fromSource ? "./shard.ts" : "./shard.js", import.meta.url);

export function shardingManager(config: DiscordConfig): ShardingManager {
  return new ShardingManager(SHARD_ENTRY.pathname, {
    token: config.token,
    totalShards: config.shards ?? "auto",
    execArgv: fromSource ? ["--import", "tsx"] : [],
    respawn: true,
  });
}

export async function startDiscord({ engine, env, log, health, metrics, rateLimit, store }: AdapterStartOptions) {
  const config = discordConfigFromEnv(env);
  if (config.shards !== undefined) {
    const manager = shardingManager(config);
    manager.on("shardCreate", (shard) => log.info({ event: "shard_created", adapter: "discord", shard: shard.id }));
    await manager.spawn();
    // the shards are child processes, each with its own client; the manager waits for them to be ready
    health?.connected("discord");
    return manager;
  }
  const client = createDiscordClient({ engine, config, log, health, metrics, rateLimit, store });
  client.once(Events.ClientReady, () =>
    log.info({ event: "started", adapter: "discord", guilds: client.guilds.cache.size }),
  );
  await client.login(config.token);
  return client;
}
