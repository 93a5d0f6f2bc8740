/**
 * One set of migrations for SQLite and PostgreSQL, written with Kysely's schema builder in the types
 * both share (text, integer, bigint), and run in order by Kysely's Migrator at start.
 */
import type { Kysely } from "kysely";
import type { Migration, MigrationProvider } from "kysely/migration";

const migrations: Record<string, Migration> = {
  "001-communities": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("settings")
        .addColumn("community", "text", (c) => c.primaryKey())
        .addColumn("region", "text")
        .addColumn("safeguarding_contact", "text")
        .addColumn("alert_channel", "text")
        .addColumn("alert_private", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("collect_unanswered", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("counters")
        .addColumn("community", "text", (c) => c.notNull())
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("metric", "text", (c) => c.notNull())
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("count", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("counters_pk", ["community", "day", "metric", "key"])
        .execute();
      await db.schema
        .createTable("unanswered")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("community", "text", (c) => c.notNull())
        .addColumn("day", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("nearest", "text")
        .addColumn("text", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("unanswered_created").on("unanswered").column("created_at").execute();
    },
  },
  "002-processes": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("seen")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("seen_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("hits")
        .addColumn("key", "text", (c) => c.notNull())
        .addColumn("at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("hits_key_at").on("hits").columns(["key", "at"]).execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
