/** Every store test runs on both databases: SQLite in memory, and a fresh database on the test PostgreSQL. */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { openStore } from "../src/store/open.js";
import type { Store } from "../src/store/store.js";

export const STORE_KINDS = ["sqlite", "postgres"] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** A new, empty PostgreSQL database on the test cluster; its URL. */
export async function freshDatabaseUrl(): Promise<string> {
  const base = inject("databaseUrl");
  const name = `t_${randomUUID().replace(/-/g, "")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function freshStore(kind: StoreKind): Promise<Store> {
  return kind === "sqlite"
    ? openStore({ FACTBOT_DB: ":memory:" })
    : openStore({ DATABASE_URL: await freshDatabaseUrl() });
}
