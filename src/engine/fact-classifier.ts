/**
 * The open-set fact classifier: which fact a question is about, or `none` (a question on another
 * subject). Trained by `npm run train` on every fact's title and alternate questions, and on the
 * corpus's off-topic rows as `none`. The engine answers a fact only when this model and the lexical
 * index agree, or the model says `none` is unlikely (engine.ts, "is this what was asked?").
 */
import { classifierText } from "./safety/classifier.js";
import type { Labeller } from "./safety/fasttext.js";

/** The label of questions about none of the facts. */
export const NO_FACT = "none";

export interface FactGuess {
  id: string;
  p: number;
}

export interface FactClassifier {
  /** the most likely facts (or NO_FACT), most likely first */
  guess(text: string, k?: number): FactGuess[];
}

export function fastTextFactClassifier(labeller: Labeller): FactClassifier {
  return {
    guess: (text, k = 3) => labeller.labels(classifierText(text), k).map(({ label, p }) => ({ id: label, p })),
  };
}
