/**
 * What every chat adapter is given at start, like Hubot's Adapter: the shared engine, the environment
 * to read its own configuration from, and the metadata-only logger. Adapters depend on this and the
 * engine, never on each other.
 */
import type { Engine } from "./engine/engine.js";
import type { Logger } from "./log.js";

export interface AdapterStartOptions {
  engine: Engine;
  env: Record<string, string | undefined>;
  log: Logger;
}
