/**
 * Opens the store from the environment: PostgreSQL when DATABASE_URL is set (several processes share
 * it), else SQLite in FACTBOT_DB (default data/factbot.db), in WAL mode so readers never block the
 * writer. Kysely was chosen because it is one typed query builder and one migration API over both,
 * with first-party dialects for better-sqlite3 and pg, and no ORM layer to learn.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import type { Database } from "./schema.js";
import { Store } from "./store.js";

export const DEFAULT_DB = "data/factbot.db";

export interface StoreEnv {
  DATABASE_URL?: string;
  FACTBOT_DB?: string;
}

export async function openStore(env: StoreEnv): Promise<Store> {
  if (env.DATABASE_URL) {
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
    const store = new Store(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), "postgres");
    await store.migrate();
    return store;
  }
  const { default: SQLite } = await import("better-sqlite3");
  const path = resolve(env.FACTBOT_DB ?? DEFAULT_DB);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(env.FACTBOT_DB === ":memory:" ? ":memory:" : path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  const store = new Store(new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) }), "sqlite");
  await store.migrate();
  return store;
}
