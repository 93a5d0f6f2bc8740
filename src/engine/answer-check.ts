/**
 * "Does this fact answer what was asked?" A question can share its subject with a fact and still ask
 * for something the fact does not say: "IWF 2024, what percentage showed boys only" to the fact that
 * gives the share of girls only; "how many boys are in the global commercial sex trade" to the fact
 * on the estimate of all children. The index and the fact classifier both find that fact, often
 * confidently; neither asks whether the question's own words are in it.
 *
 * This model does. Each word of the question (stemmed, as the index sees it) is marked found or
 * missing in the fact's own text (title, answer and alternate questions), and a small linear model
 * (safety/linear.ts, word features only) learns which missing words mean "not this fact" ("boys",
 * "region", "founder", another year) and which do not ("student", "explain", "worried"). It trains on
 * the paraphrases: each one with its own fact says yes; each question no fact answers (`-`), with the
 * fact the lexical index finds for it and with the one the fact classifier would choose, says no. The
 * engine gives no fact the model doubts (engine.ts).
 */
import { LINEAR_PARAMS, type LinearLabeller, type LinearParams } from "./safety/linear.js";

/** The two labels: the fact answers the question, or it does not. */
export const ANSWERS = "yes";
export const DOES_NOT = "no";

/**
 * Word features only: `minn` above any word's length turns off the character n-grams, and trigrams and
 * one-apart pairs are off (the features are not a sentence). 2^16 buckets for two labels is a 128 KB
 * file. Six epochs, chosen on the dev open sets: three, twelve and 2^18 buckets did no better.
 */
export const ANSWER_CHECK_PARAMS: LinearParams = {
  ...LINEAR_PARAMS,
  bits: 16,
  epochs: 6,
  minn: 99,
  maxn: 99,
  trigrams: 0,
  pairs: 0,
  share: 1,
};

/** A four-digit year is one feature, whichever year: what matters is whether the fact names it. */
const YEAR = /^(19|20)\d\d$/;

/** At most this many missing (or found) words count apart; more are all "many". */
const MAX_COUNT = 5;

/** The words (terms) a fact's own text contains: its title, answer and alternate questions. */
export function factWords(fact: { title: string[]; answer: string[]; questions: string[][] }): Set<string> {
  return new Set([...fact.title, ...fact.answer, ...fact.questions.flat()]);
}

/**
 * The question's words as features against one fact's words: `h<word>` found, `m<word>` missing (and
 * the same for this fact alone, `<fact id>:m<word>`: "boys" is missing from the IWF's figures in a way
 * that matters, and from the definition of grooming in a way that does not), a year found in this fact
 * (`<fact id>:h<year>`), `munknown` for a missing word no fact has, and the counts of each and their
 * ratio. Words are the model's input tokens, so training and prediction share this one function.
 * Measured on the dev open sets against the same features without the per-fact ones (two seeds): 4
 * and 6 more of 927 covered questions right, 3 and 1 fewer of 934 uncovered given a fact; pairs of
 * missing words added nothing.
 */
export function answerCheckFeatures(
  questionTerms: readonly string[],
  factId: string,
  factWords: ReadonlySet<string>,
  anyFactHas: (term: string) => boolean,
): string {
  const out: string[] = [];
  let found = 0;
  let missing = 0;
  for (const term of questionTerms) {
    const word = YEAR.test(term) ? "yyyy" : term;
    if (factWords.has(term)) {
      found++;
      out.push(`h${word}`);
      // which of its years a fact answers for: the NCA's report of April 2024 names 2024 in the answer
      // on sextortion, whose figures are for 2021-2023 ("sextortion reported to NCMEC in 2024" is not it)
      if (word !== term) out.push(`${factId}:h${term}`);
    } else {
      missing++;
      out.push(`m${word}`, `${factId}:m${word}`);
      if (!anyFactHas(term)) out.push("munknown");
    }
  }
  const share = Math.round((4 * found) / (found + missing || 1));
  out.push(`nm${Math.min(missing, MAX_COUNT)}`, `nh${Math.min(found, MAX_COUNT)}`, `r${share}`);
  return out.join(" ");
}

/**
 * The facts' words, and the trained model when there is one: the probability that a fact answers a
 * question. Training builds its features through the same object, so they cannot drift apart.
 */
export class AnswerCheck {
  private readonly known = new Set<string>();

  /** `vocabulary`: each fact's words (`factWords`), by fact id */
  constructor(
    private readonly vocabulary: ReadonlyMap<string, ReadonlySet<string>>,
    private readonly model?: LinearLabeller,
  ) {
    for (const words of vocabulary.values()) for (const w of words) this.known.add(w);
  }

  /** The model's input for a question (its terms) against one fact; null for a fact it does not know. */
  features(questionTerms: readonly string[], factId: string): string | null {
    const words = this.vocabulary.get(factId);
    return words ? answerCheckFeatures(questionTerms, factId, words, (t) => this.known.has(t)) : null;
  }

  /** P(the fact answers the question); 1 without a model or for a fact it does not know. */
  answers(questionTerms: readonly string[], factId: string): number {
    const features = this.model && this.features(questionTerms, factId);
    return this.model && features ? this.model.probabilityOf(features, ANSWERS) : 1;
  }
}
