/**
 * The store: community settings, daily counters, opt-in unanswered questions (scrubbed, kept at most
 * 30 days), and what several processes share (Slack ids already answered, rate-limit hits). One typed
 * query layer (Kysely) over SQLite (better-sqlite3, the embedded default) or PostgreSQL (pg, for more
 * than one process). The adapters call it around the engine; the engine never does.
 */
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { Migrator } from "kysely/migration";
import type { RegionCode } from "../knowledge/schema.js";
import { migrationProvider } from "./migrations.js";
import type { Database } from "./schema.js";
import { scrub } from "./scrub.js";

/** How long the text of an unanswered question is kept. */
export const KEEP_DAYS = 30;

export interface CommunitySettings {
  /** null: the deployment's FACTBOT_REGION, and urgent and resources replies offer a region picker */
  region: RegionCode | null;
  /** null: the deployment's FACTBOT_SAFEGUARDING_CONTACT */
  safeguardingContact: string | null;
  alertChannel: string | null;
  /** also alert for private questions (slash commands, direct messages), not only channel messages */
  alertPrivate: boolean;
  collectUnanswered: boolean;
}

export const DEFAULT_SETTINGS: CommunitySettings = {
  region: null,
  safeguardingContact: null,
  alertChannel: null,
  alertPrivate: false,
  collectUnanswered: false,
};

export type Metric = "kind" | "fact" | "rule" | "helpful" | "not_helpful" | "unanswered";

export interface ReportOptions {
  since: Date;
  until?: Date;
  community?: string;
}

export interface Report {
  since: string;
  until: string;
  community: string | null;
  communities: number;
  total: number;
  byKind: { kind: string; count: number }[];
  byDay: { day: string; count: number }[];
  topFacts: { fact: string; count: number }[];
  notHelpful: { fact: string; notHelpful: number; helpful: number }[];
  rules: { rule: string; count: number }[];
  unanswered: number;
  questions: { nearest: string; texts: string[] }[];
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export class Store {
  private readonly cache = new Map<string, { at: number; settings: CommunitySettings }>();

  constructor(
    readonly db: Kysely<Database>,
    readonly kind: "sqlite" | "postgres",
  ) {}

  /** Brings the tables up to date (safe to run from every process at start). */
  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({ db: this.db, provider: migrationProvider }).migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (error || failed) throw new Error(`store migration ${failed?.migrationName ?? ""} failed`, { cause: error });
  }

  /** A community's settings (defaults where it has none), cached for 30 s per process. */
  async settings(community: string, now = Date.now()): Promise<CommunitySettings> {
    const hit = this.cache.get(community);
    if (hit && now - hit.at < 30_000) return hit.settings;
    const row = await this.db.selectFrom("settings").selectAll().where("community", "=", community).executeTakeFirst();
    const settings: CommunitySettings = row
      ? {
          region: (row.region as RegionCode | null) ?? null,
          safeguardingContact: row.safeguarding_contact,
          alertChannel: row.alert_channel,
          alertPrivate: row.alert_private === 1,
          collectUnanswered: row.collect_unanswered === 1,
        }
      : DEFAULT_SETTINGS;
    this.cache.set(community, { at: now, settings });
    return settings;
  }

  async saveSettings(
    community: string,
    patch: Partial<CommunitySettings>,
    now = new Date(),
  ): Promise<CommunitySettings> {
    const next = { ...(await this.settings(community, 0)), ...patch };
    const row = {
      community,
      region: next.region,
      safeguarding_contact: next.safeguardingContact,
      alert_channel: next.alertChannel,
      alert_private: next.alertPrivate ? 1 : 0,
      collect_unanswered: next.collectUnanswered ? 1 : 0,
      updated_at: now.toISOString(),
    };
    await this.db
      .insertInto("settings")
      .values(row)
      .onConflict((oc) => oc.column("community").doUpdateSet({ ...row, community: undefined }))
      .execute();
    this.cache.set(community, { at: now.getTime(), settings: next });
    return next;
  }

  async count(community: string, metric: Metric, key: string, now = new Date(), by = 1): Promise<void> {
    await this.db
      .insertInto("counters")
      .values({ community, day: day(now), metric, key, count: by })
      .onConflict((oc) =>
        oc
          .columns(["community", "day", "metric", "key"])
          .doUpdateSet((eb) => ({ count: eb("counters.count", "+", eb.ref("excluded.count")) })),
      )
      .execute();
  }

  /** Keep an unanswered question's text, scrubbed. Only for communities that opted in (the caller checks). */
  async keepUnanswered(
    community: string,
    kind: "fallback" | "suggest" | "not_helpful",
    text: string,
    nearest: string | null,
    now = new Date(),
  ): Promise<void> {
    const clean = scrub(text);
    if (!clean) return;
    await this.db
      .insertInto("unanswered")
      .values({ id: randomUUID(), community, day: day(now), created_at: now.toISOString(), kind, nearest, text: clean })
      .execute();
  }

  /** Delete question texts older than KEEP_DAYS, and ids and hits no process needs any more. */
  async purge(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - KEEP_DAYS * 86_400_000).toISOString();
    const gone = await this.db.deleteFrom("unanswered").where("created_at", "<", cutoff).executeTakeFirst();
    const hour = new Date(now.getTime() - 3_600_000).toISOString();
    await this.db.deleteFrom("seen").where("seen_at", "<", hour).execute();
    await this.db.deleteFrom("hits").where("at", "<", hour).execute();
    return Number(gone.numDeletedRows);
  }

  /** True the first time any process sees this id (Slack retries and replays are answered once). */
  async firstSeen(id: string, now = new Date()): Promise<boolean> {
    const result = await this.db
      .insertInto("seen")
      .values({ id, seen_at: now.toISOString() })
      .onConflict((oc) => oc.column("id").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /**
   * One question for `key`; false when `limit` were already asked in the last `windowMs` by any process.
   * (Two processes racing can each allow one more: a limit for floods, not an exact quota.)
   */
  async hit(key: string, limit: number, windowMs = 60_000, now = new Date()): Promise<boolean> {
    const since = new Date(now.getTime() - windowMs).toISOString();
    // this member's rows that left the window go now, so the table stays the size of one window
    await this.db.deleteFrom("hits").where("key", "=", key).where("at", "<=", since).execute();
    const row = await this.db
      .selectFrom("hits")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("key", "=", key)
      .where("at", ">", since)
      .executeTakeFirst();
    if (Number(row?.n ?? 0) >= limit) return false;
    await this.db.insertInto("hits").values({ key, at: now.toISOString() }).execute();
    return true;
  }

  async report({ since, until = new Date(), community }: ReportOptions): Promise<Report> {
    const from = day(since);
    const to = day(until);
    let counters = this.db.selectFrom("counters").where("day", ">=", from).where("day", "<=", to);
    if (community) counters = counters.where("community", "=", community);
    const rows = await counters.select(["community", "day", "metric", "key", "count"]).execute();
    const sum = (metric: Metric) => {
      const m = new Map<string, number>();
      for (const r of rows) if (r.metric === metric) m.set(r.key, (m.get(r.key) ?? 0) + Number(r.count));
      return m;
    };
    const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const kinds = sum("kind");
    const byDay = new Map<string, number>();
    for (const r of rows) if (r.metric === "kind") byDay.set(r.day, (byDay.get(r.day) ?? 0) + Number(r.count));
    const helpful = sum("helpful");
    const notHelpful = sum("not_helpful");
    let texts = this.db
      .selectFrom("unanswered")
      .select(["nearest", "text"])
      .where("created_at", ">=", since.toISOString())
      .orderBy("created_at");
    if (community) texts = texts.where("community", "=", community);
    const groups = new Map<string, string[]>();
    for (const t of await texts.execute()) {
      const key = t.nearest ?? "";
      groups.set(key, [...(groups.get(key) ?? []), t.text]);
    }
    return {
      since: from,
      until: to,
      community: community ?? null,
      communities: new Set(rows.map((r) => r.community)).size,
      total: [...kinds.values()].reduce((a, b) => a + b, 0),
      byKind: sorted(kinds).map(([kind, count]) => ({ kind, count })),
      byDay: [...byDay].sort().map(([d, count]) => ({ day: d, count })),
      topFacts: sorted(sum("fact"))
        .slice(0, 10)
        .map(([fact, count]) => ({ fact, count })),
      notHelpful: sorted(notHelpful)
        .slice(0, 10)
        .map(([fact, n]) => ({ fact, notHelpful: n, helpful: helpful.get(fact) ?? 0 })),
      rules: sorted(sum("rule")).map(([rule, count]) => ({ rule, count })),
      unanswered: [...sum("unanswered").values()].reduce((a, b) => a + b, 0),
      questions: [...groups]
        .sort((a, b) => b[1].length - a[1].length)
        .map(([nearest, list]) => ({ nearest, texts: list })),
    };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
