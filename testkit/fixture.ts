/** The fixture knowledge base (testkit/knowledge): a small neutral subject for the engine's unit tests. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine, type EngineOptions } from "../src/engine/engine.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import type { Knowledge } from "../src/knowledge/schema.js";

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), "knowledge");

let fixture: Knowledge | undefined;

export function fixtureKnowledge(): Knowledge {
  fixture ??= loadKnowledge(FIXTURE_DIR);
  return fixture;
}

/** The engine over the fixture, with its safety rules alone (the fixture has no trained model). */
export function fixtureEngine(options: EngineOptions = {}): Engine {
  return new Engine(fixtureKnowledge(), options);
}
