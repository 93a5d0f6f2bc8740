/**
 * Metadata-only logging. A log line carries what happened (event, reply kind, fact id, latency, a
 * hashed id), never what anybody wrote and never a token. Ids are hashed with a per-process salt
 * (FACTBOT_LOG_SALT to keep them stable across restarts), so logs can count repeat users without
 * naming them.
 */
import { createHash, randomBytes } from "node:crypto";

export interface LogFields {
  event: string;
  adapter?: string;
  kind?: string;
  factId?: string | null;
  rule?: string | null;
  latencyMs?: number;
  user?: string;
  channel?: string;
  team?: string;
  error?: string;
  [key: string]: string | number | boolean | null | undefined;
}

export interface Logger {
  info(fields: LogFields): void;
  warn(fields: LogFields): void;
  error(fields: LogFields): void;
}

const salt = process.env.FACTBOT_LOG_SALT ?? randomBytes(16).toString("hex");

/** A short, salted, one-way id: the same user gives the same hash within a deployment. */
export function hashId(id: string | undefined | null): string | undefined {
  if (!id) return undefined;
  return createHash("sha256").update(salt).update(id).digest("hex").slice(0, 12);
}

/** An error's name and code only: messages can carry request bodies, so they are not logged. */
/**
 * An error's first line, short, with anything it quotes taken out: enough to act on, never a payload
 * (Node's JSON errors quote the text they could not parse, which may be someone's message).
 */
function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "")
    .replace(/"[^"]*"?/g, '"…"')
    .replace(/'[^']*'?/g, "'…'")
    .slice(0, 160);
}

/**
 * An error as one short line: name, code and status, then its message's first line (libraries such
 * as Bolt sometimes throw plain strings: those are logged by their first line too).
 */
export function describeError(err: unknown): string {
  if (typeof err === "string") return firstLine(err) || "string";
  if (err && typeof err === "object") {
    const e = err as { name?: unknown; code?: unknown; status?: unknown; message?: unknown };
    const head = [e.name, e.code, e.status].filter((x) => typeof x === "string" || typeof x === "number").join(" ");
    const message = typeof e.message === "string" ? firstLine(e.message) : "";
    return [head, message].filter(Boolean).join(": ") || "Error";
  }
  return typeof err;
}

export function createLogger(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Logger {
  const emit = (level: string, fields: LogFields) =>
    write(JSON.stringify({ ts: new Date().toISOString(), level, ...fields }));
  return {
    info: (f) => emit("info", f),
    warn: (f) => emit("warn", f),
    error: (f) => emit("error", f),
  };
}

/** For tests and for the terminal chat, where logs would interleave with the conversation. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
