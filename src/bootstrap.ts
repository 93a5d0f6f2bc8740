/** Builds the engine from the environment: the one place that reads knowledge/ from disk at start. */
import { type EngineEnv, EngineEnvSchema, parseEnv } from "./config.js";
import { Engine } from "./engine/engine.js";
import { defaultKnowledgeDir, loadKnowledge } from "./knowledge/load.js";

export function engineFromEnv(env: Record<string, string | undefined> = process.env, knowledgeDir?: string): Engine {
  const config: EngineEnv = parseEnv(EngineEnvSchema, env);
  const dir = knowledgeDir ?? config.KNOWLEDGE_DIR ?? defaultKnowledgeDir();
  return new Engine(loadKnowledge(dir), {
    region: config.FACTBOT_REGION,
    safeguardingContact: config.FACTBOT_SAFEGUARDING_CONTACT,
  });
}
