/** What stands in front of Bolt: replayed requests, oversized bodies, retried events. */
import type { HTTPReceiver } from "@slack/bolt";
import { describeError, type Logger } from "../../src/log.js";

const DEDUP_LIMIT = 2000;

/** A set that forgets its oldest entries: enough to recognise Slack's retries of the same event. */
export class RecentIds {
  private readonly ids = new Set<string>();
  /** true the first time an id is seen */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > DEDUP_LIMIT) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}

/** Signatures seen in the last five minutes (Slack refuses older timestamps anyway), at most 20,000. */
class ReplayGuard {
  private readonly seen = new Map<string, number>();
  first(key: string, now = Date.now()): boolean {
    for (const [k, at] of this.seen) {
      if (now - at < 5 * 60_000 && this.seen.size < 20_000) break;
      this.seen.delete(k);
    }
    if (this.seen.has(key)) return false;
    this.seen.set(key, now);
    return true;
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
export function guardRequests(http: HTTPReceiver, log: Logger): void {
  const listener = http.requestListener;
  const replays = new ReplayGuard();
  http.requestListener = (req, res) => {
    if (req.method === "POST") {
      // A byte-identical signed request (same timestamp, same signature) inside Slack's 5-minute
      // window is a replay: acknowledged, never answered or posted twice.
      const signature = req.headers["x-slack-signature"];
      const timestamp = req.headers["x-slack-request-timestamp"];
      if (
        typeof signature === "string" &&
        typeof timestamp === "string" &&
        !replays.first(`${timestamp}:${signature}`)
      ) {
        log.warn({ event: "replay_ignored", adapter: "slack" });
        res.writeHead(200);
        res.end();
        req.resume();
        return;
      }
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
