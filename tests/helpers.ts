/** Shared by the tests: one engine over the shipped knowledge base, built once per test file. */
import { Engine, type EngineOptions } from "../src/engine/engine.js";
import { loadKnowledge } from "../src/knowledge/load.js";
import type { Knowledge } from "../src/knowledge/schema.js";

let knowledge: Knowledge | undefined;

export function shippedKnowledge(): Knowledge {
  knowledge ??= loadKnowledge();
  return knowledge;
}

export function engine(options: EngineOptions = {}): Engine {
  return new Engine(shippedKnowledge(), options);
}
