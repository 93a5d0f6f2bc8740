/**
 * The store's tables, as Kysely sees them: the one definition of their types. Booleans are integers
 * (0/1) and times are ISO strings, so SQLite and PostgreSQL hold the same values.
 */
import type { Generated } from "kysely";

export interface SettingsTable {
  /** "slack:T0123" or "discord:123456789" */
  community: string;
  region: string | null;
  safeguarding_contact: string | null;
  /** the channel moderator alerts go to (a Slack or Discord channel id) */
  alert_channel: string | null;
  /** 1: also alert for private questions to the bot (slash commands, direct messages) */
  alert_private: Generated<number>;
  /** 1: keep the scrubbed text of unanswered questions for 30 days */
  collect_unanswered: Generated<number>;
  updated_at: string;
}

export interface CountersTable {
  community: string;
  /** UTC day, 2026-11-29 */
  day: string;
  /** kind | fact | rule | helpful | not_helpful | unanswered */
  metric: string;
  key: string;
  count: number;
}

export interface UnansweredTable {
  id: string;
  community: string;
  day: string;
  created_at: string;
  /** fallback | suggest | not_helpful */
  kind: string;
  /** the nearest topic the bot offered, for grouping in the report */
  nearest: string | null;
  text: string;
}

/** Slack event and request ids already answered, shared by every process on one database. */
export interface SeenTable {
  id: string;
  seen_at: string;
}

/** One row per question, for a rate limit that holds across processes. */
export interface HitsTable {
  key: string;
  at: string;
}

export interface Database {
  settings: SettingsTable;
  counters: CountersTable;
  unanswered: UnansweredTable;
  seen: SeenTable;
  hits: HitsTable;
}
