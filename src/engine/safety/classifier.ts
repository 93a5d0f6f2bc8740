/**
 * The trained safety classifier's contract. The engine sees only `predict`: a probability for each
 * class of knowledge/safety/taxonomy.yaml. How the model is made (fastText, in fasttext.ts) stays behind
 * this interface, so the decision rules and their tests do not depend on WebAssembly.
 */
import type { SafetyClass } from "../../knowledge/schema.js";

export type Probabilities = Record<SafetyClass, number>;

export interface SafetyClassifier {
  /** `rule` is the rules' verdict on the same message, which the model reads as one more feature */
  predict(text: string, rule?: RuleVerdict | null): Probabilities;
}

/** What the model is told of the rules: which kind and which rule fired. */
export interface RuleVerdict {
  kind: string;
  rule: string;
}

/** Every class at zero: the start of a prediction, and what a model that knows no label gives. */
export function zeroProbabilities(): Probabilities {
  return { urgent: 0, refusal: 0, help_seeking: 0, resources: 0, moderator: 0, benign: 0, offtopic: 0 };
}

/**
 * The text the model reads, the same at training and at prediction: lower case, accents folded,
 * numbers split from letters ("15f" -> "15 f", "14yo" -> "14 yo"), apostrophes dropped ("im", "i'm"
 * alike), anything else that is not a letter or digit a space. Letters of every script are kept, so
 * rows in other languages train too.
 */
export function classifierText(text: string, rule: RuleVerdict | null = null): string {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['\u2019`]/g, "")
    .replace(/(\p{N}+)/gu, " $1 ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  return rule ? `${words} ${ruleFeatures(rule)}` : words;
}

/**
 * The rules' verdict as words no message contains ("xrulekindurgent xruleownchildsituation"): the model
 * learns from the corpus how far each rule is to be trusted, instead of the rule deciding alone.
 */
export function ruleFeatures(rule: RuleVerdict): string {
  const word = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
  return `xrulekind${word(rule.kind)} xrule${word(rule.rule)}`;
}
