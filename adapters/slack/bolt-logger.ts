import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { describeError, type Logger } from "../../src/log.js";

/** Bolt's own log lines, reduced to metadata: its messages can carry request details. */
export function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  const first = (args: unknown[]) =>
    typeof args[0] === "string" ? args[0].split("\n")[0]?.slice(0, 120) : describeError(args[0]);
  return {
    debug: () => {},
    info: () => {},
    warn: (...args) => log.warn({ event: "bolt", adapter: "slack", message: first(args) }),
    error: (...args) => log.error({ event: "bolt", adapter: "slack", error: describeError(args[0]) }),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
