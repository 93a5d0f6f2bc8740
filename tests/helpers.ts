/** Shared by the tests: engines over the shipped knowledge base, built once per test file. */
import { createEngine } from "../src/bootstrap.js";
import { Engine, type EngineOptions } from "../src/engine/engine.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import type { Knowledge } from "../src/knowledge/schema.js";

let knowledge: Knowledge | undefined;

export function shippedKnowledge(): Knowledge {
  knowledge ??= loadKnowledge();
  return knowledge;
}

/** The engine with the safety rules alone (no classifier): for tests of the rules and the composer. */
export function engine(options: EngineOptions = {}): Engine {
  return new Engine(shippedKnowledge(), options);
}

/** The engine as the bot runs it: rules and the trained safety classifier. */
export function shippedEngine(options: EngineOptions = {}): Promise<Engine> {
  return createEngine(shippedKnowledge(), options);
}
