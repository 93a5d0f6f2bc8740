/**
 * `npm run discord:register`: registers /csec and the context menu globally, or in DISCORD_GUILD_ID
 * (instant, for testing; global commands can take up to an hour to appear).
 */
import { REST, Routes } from "discord.js";
import { ConfigError } from "../../src/config.js";
import { commandDefinitions } from "./commands/index.js";
import { type DiscordConfig, discordConfigFromEnv } from "./config.js";

export async function registerCommands(config: DiscordConfig): Promise<{ scope: string; count: number }> {
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const body = commandDefinitions();
  const route = config.guildId
    ? Routes.applicationGuildCommands(config.applicationId, config.guildId)
    : Routes.applicationCommands(config.applicationId);
  await rest.put(route, { body });
  return { scope: config.guildId ? `guild ${config.guildId}` : "global", count: body.length };
}

export async function main(): Promise<void> {
  try {
    const { scope, count } = await registerCommands(discordConfigFromEnv(process.env));
    process.stdout.write(`registered ${count} commands (${scope})\n`);
  } catch (err) {
    process.stderr.write(`discord:register: ${err instanceof ConfigError ? err.message : (err as Error).name}\n`);
    process.exitCode = 1;
  }
}
