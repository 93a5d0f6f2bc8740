/** What stands in front of Bolt: replayed requests, oversized bodies, retried events. */
import type { HTTPReceiver } from "@slack/bolt";
import { describeError, type Logger } from "../../src/log.js";
import type { Store } from "../../src/store/store.js";

/**
 * Ids already handled (a retried event, a replayed request): in this process's memory, or in the
 * store that several processes share (PostgreSQL), so a retry delivered to another instance is
 * answered once. A store that fails lets the request through: a reply twice beats none.
 */
export interface SeenIds {
  /** true the first time an id is seen */
  first(id: string): Promise<boolean>;
}

/** The ids of the last five minutes (Slack refuses older timestamps anyway), at most 20,000. */
export class MemorySeen implements SeenIds {
  private readonly seen = new Map<string, number>();
  async first(id: string, now = Date.now()): Promise<boolean> {
    for (const [k, at] of this.seen) {
      if (now - at < 5 * 60_000 && this.seen.size < 20_000) break;
      this.seen.delete(k);
    }
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    return true;
  }
}

export class StoreSeen implements SeenIds {
  constructor(
    private readonly store: Store,
    private readonly onError: (err: unknown) => void,
  ) {}
  async first(id: string): Promise<boolean> {
    try {
      return await this.store.firstSeen(id);
    } catch (err) {
      this.onError(err);
      return true;
    }
  }
}

/**
 * Slack's own payloads are a few kilobytes (a modal submission stays well under 100 KB); anything
 * larger is refused from its Content-Length before a byte of it is read or its signature checked.
 */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * Two guards in front of Bolt's HTTP receiver: a body that is too large (or has no declared length)
 * is refused at once, and a payload Slack never sends (a signed JSON `null`) that makes Bolt's
 * listener throw is answered 400 and logged, instead of taking the process down.
 */
export function guardRequests(http: HTTPReceiver, log: Logger, seen: SeenIds): void {
  const listener = http.requestListener;
  http.requestListener = async (req, res) => {
    if (req.method === "POST") {
      const length = Number(req.headers["content-length"]);
      if (!Number.isFinite(length) || length > MAX_BODY_BYTES) {
        log.warn({
          event: "request_refused",
          adapter: "slack",
          reason: Number.isFinite(length) ? "too_large" : "no_length",
        });
        res.writeHead(Number.isFinite(length) ? 413 : 411);
        res.end();
        // whatever the client still sends is read and dropped as it comes, never kept
        req.resume();
        return;
      }
      // A byte-identical signed request (same timestamp, same signature) inside Slack's 5-minute
      // window is a replay: acknowledged, never answered or posted twice.
      const signature = req.headers["x-slack-signature"];
      const timestamp = req.headers["x-slack-request-timestamp"];
      if (
        typeof signature === "string" &&
        typeof timestamp === "string" &&
        !(await seen.first(`request:${timestamp}:${signature}`))
      ) {
        log.warn({ event: "replay_ignored", adapter: "slack" });
        res.writeHead(200);
        res.end();
        req.resume();
        return;
      }
    }
    const handled = listener(req, res) as unknown;
    if (handled instanceof Promise) {
      handled.catch((err: unknown) => {
        log.error({ event: "request_failed", adapter: "slack", error: describeError(err) });
        if (!res.headersSent) {
          res.writeHead(400);
          res.end();
        }
      });
    }
  };
}
