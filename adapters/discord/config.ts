/** Discord's configuration, validated at start: one clear line per bad variable, never a value. */
import { z } from "zod";
import { ConfigError, parseEnv } from "../../src/config.js";

const snowflake = (what: string) => z.string().regex(/^\d{1,20}$/, `must be a Discord ${what} id (digits)`);

const DiscordEnvSchema = z.object({
  DISCORD_TOKEN: z.string().min(1, "is required"),
  DISCORD_APPLICATION_ID: snowflake("application"),
  DISCORD_API_URL: z.url({ error: "must be a URL such as https://discord.com/api" }).optional(),
  DISCORD_GUILD_ID: snowflake("guild").optional(),
  FACTBOT_SHARDS: z
    .union([z.literal("auto"), z.coerce.number().int().min(1).max(1000)], {
      error: "must be 'auto' or a number of shards",
    })
    .optional(),
  FACTBOT_SHARD_COUNT: z.coerce.number({ error: "must be a number" }).int().min(1).max(10_000).optional(),
  FACTBOT_SHARD_IDS: z
    .string()
    .regex(/^\d+(-\d+)?(,\d+(-\d+)?)*$/, "must be shard ids such as 0-3 or 0,2,4")
    .optional(),
});

/** "0-2,5" -> [0, 1, 2, 5] */
function shardList(spec: string): number[] {
  return spec.split(",").flatMap((part) => {
    const [from = 0, to = from] = part.split("-").map(Number);
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  });
}

export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl?: string;
  guildId?: string;
  shards?: "auto" | number;
  /** this process's shards, of `shardCount` in all (several processes, several machines) */
  shardIds?: number[];
  shardCount?: number;
}

export function discordConfigFromEnv(env: Record<string, string | undefined>): DiscordConfig {
  const e = parseEnv(DiscordEnvSchema, env);
  const shardIds = e.FACTBOT_SHARD_IDS ? shardList(e.FACTBOT_SHARD_IDS) : undefined;
  if ((shardIds === undefined) !== (e.FACTBOT_SHARD_COUNT === undefined))
    throw new ConfigError("configuration error: FACTBOT_SHARD_IDS and FACTBOT_SHARD_COUNT: set both or neither");
  if (shardIds && e.FACTBOT_SHARD_COUNT !== undefined && shardIds.some((id) => id >= (e.FACTBOT_SHARD_COUNT ?? 0)))
    throw new ConfigError("configuration error: FACTBOT_SHARD_IDS: every id must be below FACTBOT_SHARD_COUNT");
  if (shardIds && e.FACTBOT_SHARDS !== undefined)
    throw new ConfigError("configuration error: FACTBOT_SHARDS: use it or FACTBOT_SHARD_IDS, not both");
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    apiUrl: e.DISCORD_API_URL?.replace(/\/+$/, ""),
    guildId: e.DISCORD_GUILD_ID,
    shards: e.FACTBOT_SHARDS,
    shardIds,
    shardCount: e.FACTBOT_SHARD_COUNT,
  };
}
