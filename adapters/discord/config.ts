/** Discord's configuration, validated at start: one clear line per bad variable, never a value. */
import { z } from "zod";
import { parseEnv } from "../../src/config.js";

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
});

export interface DiscordConfig {
  token: string;
  applicationId: string;
  apiUrl?: string;
  guildId?: string;
  shards?: "auto" | number;
}

export function discordConfigFromEnv(env: Record<string, string | undefined>): DiscordConfig {
  const e = parseEnv(DiscordEnvSchema, env);
  return {
    token: e.DISCORD_TOKEN,
    applicationId: e.DISCORD_APPLICATION_ID,
    apiUrl: e.DISCORD_API_URL?.replace(/\/+$/, ""),
    guildId: e.DISCORD_GUILD_ID,
    shards: e.FACTBOT_SHARDS,
  };
}
