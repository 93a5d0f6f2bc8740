/**
 * One shard's process under the ShardingManager: the same client, told its shard by discord.js, with
 * its own connection to the store (SQLite in WAL mode, or PostgreSQL, both shared safely).
 */
import { engineFromEnv } from "../../src/bootstrap.js";
import { createLogger } from "../../src/log.js";
import { openStore } from "../../src/store/open.js";
import { createDiscordClient } from "./client.js";
import { discordConfigFromEnv } from "./config.js";

const config = discordConfigFromEnv(process.env);
const log = createLogger();
const store = await openStore(process.env);
const client = createDiscordClient({ engine: await engineFromEnv(process.env), config, log, store });
await client.login(config.token);
