/**
 * The trained safety classifier's contract. The engine sees only `predict`: a probability for each
 * class of knowledge/safety/taxonomy.yaml. How the model is made (fastText, in fasttext.ts) stays behind
 * this interface, so the decision rules and their tests do not depend on WebAssembly.
 */
import type { SafetyClass } from "../../knowledge/schema.js";

export type Probabilities = Record<SafetyClass, number>;

export interface SafetyClassifier {
  predict(text: string): Probabilities;
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
export function classifierText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['\u2019`]/g, "")
    .replace(/(\p{N}+)/gu, " $1 ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}
