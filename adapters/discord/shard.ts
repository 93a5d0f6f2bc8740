/** One shard's process under the ShardingManager: the same client, told its shard by discord.js. */
import { engineFromEnv } from "../../src/bootstrap.js";
import { createLogger } from "../../src/log.js";
import { createDiscordClient } from "./client.js";
import { discordConfigFromEnv } from "./config.js";

const config = discordConfigFromEnv(process.env);
const log = createLogger();
const client = createDiscordClient({ engine: await engineFromEnv(process.env), config, log });
await client.login(config.token);
