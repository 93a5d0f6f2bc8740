/**
 * Graceful shutdown: on SIGTERM or SIGINT, stop taking new work, let what is in flight finish (Bolt's
 * HTTP server closes once its requests are answered; discord.js closes the gateway cleanly), and exit 0.
 * Bounded: after SHUTDOWN_MS whatever is left is abandoned and the process exits anyway.
 */
import type { Logger } from "./log.js";

export const SHUTDOWN_MS = 10_000;

export type Stop = () => Promise<unknown>;

export function onShutdown(stops: Stop[], log: Logger, exit: (code: number) => void = (c) => process.exit(c)): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ event: "shutdown", signal });
    const timer = setTimeout(() => {
      log.warn({ event: "shutdown_timeout", ms: SHUTDOWN_MS });
      exit(0);
    }, SHUTDOWN_MS);
    timer.unref();
    const results = await Promise.allSettled(stops.map((stop) => stop()));
    const failed = results.filter((r) => r.status === "rejected").length;
    if (failed > 0) log.warn({ event: "shutdown_incomplete", failed });
    log.info({ event: "stopped" });
    exit(0);
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}
