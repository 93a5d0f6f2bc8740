/** Builds the engine from the environment: the one place that reads knowledge/ from disk at start. */
import { type EngineEnv, EngineEnvSchema, parseEnv } from "./config.js";
import { Engine, type EngineOptions } from "./engine/engine.js";
import { fastTextFactClassifier } from "./engine/fact-classifier.js";
import { loadLanguageIdentifier } from "./engine/language.js";
import { loadFastText, loadFastTextClassifier } from "./engine/safety/fasttext.js";
import { loadLinear } from "./engine/safety/linear.js";
import { knowledgeDir, loadKnowledge } from "./knowledge/load.js";
import type { Knowledge } from "./knowledge/schema.js";

/**
 * The engine over loaded knowledge, with the trained safety classifier when the folder has one.
 * Asynchronous only because WebAssembly starts asynchronously; the engine itself is synchronous.
 */
export async function createEngine(knowledge: Knowledge, options: EngineOptions = {}): Promise<Engine> {
  const model = knowledge.safetyModel;
  const [classifier, facts, language] = await Promise.all([
    model ? loadFastTextClassifier(model.bytes) : undefined,
    model ? loadFastText(model.facts).then(fastTextFactClassifier) : undefined,
    loadLanguageIdentifier(),
  ]);
  const answerCheck = model ? loadLinear(model.answerCheck) : undefined;
  const moderationGate = model ? loadLinear(model.moderationGate) : undefined;
  const moderationPicker = model ? loadLinear(model.moderationPicker) : undefined;
  const moderationFit = model ? loadLinear(model.moderationFit) : undefined;
  return new Engine(knowledge, {
    ...options,
    classifier,
    facts,
    language,
    answerCheck,
    moderationGate,
    moderationPicker,
    moderationFit,
  });
}

export async function engineFromEnv(
  env: Record<string, string | undefined> = process.env,
  dir?: string,
): Promise<Engine> {
  const config: EngineEnv = parseEnv(EngineEnvSchema, env);
  return createEngine(loadKnowledge(dir ?? knowledgeDir(env)), {
    region: config.FACTBOT_REGION,
    safeguardingContact: config.FACTBOT_SAFEGUARDING_CONTACT,
  });
}
