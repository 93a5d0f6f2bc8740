/**
 * "Does the moderation fact chosen answer this moderator's question at all?" The moderation gate asks
 * whether a moderator's message is about children's safety; many that are still ask for something no
 * moderation fact gives ("do we need parental consent under COPPA for 12-year-olds", "should our
 * volunteer mods for a youth server have a DBS check", "a 15-year-old in our server is buying vapes").
 * The answer check cannot judge those: it learned short questions against facts, and real moderators'
 * long accounts of an incident get almost nothing from it (a tenth of the dev batches' moderators
 * score under 0.02).
 *
 * This model reads the answer check's features (the question's words found and missing in the fact,
 * answer-check.ts) for the moderation fact the picker chose, and since round 10 a few about the best
 * other fact (the fact classifier's probability, the answer check's, and whether it came first):
 * moderators also ask what the general facts answer ("UK mod here, what is the IWF?"), and with these
 * the fit weighs the two. Trained on moderators' own messages: the safety corpus's moderator rows of the
 * training fold and corpus/gate/ with the fact that claims their subtype, and the moderation facts'
 * paraphrases, say yes; corpus/gate/'s questions about other matters, and the questions no fact or
 * another fact answers that the safety route sends to moderators, each with the fact the picker would
 * choose, say no. Below the engine's `moderatorFit` the moderator reply is withheld, as for the gate,
 * and retrieval answers without the moderation facts.
 */
import { ANSWER_CHECK_PARAMS, ANSWERS } from "./answer-check.js";
import type { LinearLabeller, LinearParams } from "./safety/linear.js";

/** The answer check's parameters: the same features, a model of the same size (128 KB). */
export const MODERATION_FIT_PARAMS: LinearParams = { ...ANSWER_CHECK_PARAMS };

/** A fact the fact classifier guesses for a message, with the answer check's word on it. */
export interface GeneralGuess {
  /** the fact classifier's probability for the best fact outside the moderation facts */
  p: number;
  /** the answer check's probability that that fact answers the message */
  answers: number;
  /** whether it is the classifier's first guess (over every moderation fact and "no fact") */
  first: boolean;
}

/**
 * The fit's features: the answer check's for the moderation fact chosen, and a few for the best
 * other fact, so the fit weighs the two ("UK mod here, can I report grooming to the IWF?" is the
 * IWF's fact, however a moderator words it). Probabilities go in quarters.
 */
export function moderationFitFeatures(moderationFeatures: string | null, general: GeneralGuess | null): string | null {
  if (!moderationFeatures) return null;
  if (!general) return `${moderationFeatures} gnone`;
  const quarter = (x: number) => Math.round(4 * x);
  const first = general.first ? "gfirst" : "gnotfirst";
  return `${moderationFeatures} gp${quarter(general.p)} ga${quarter(general.answers)} ${first} ${first}${quarter(general.p)}`;
}

/** The trained model, if any: the probability that a moderation fact answers a moderator's message. */
export class ModerationFit {
  constructor(private readonly model?: LinearLabeller) {}

  /** P(the fact answers it), from the answer check's features; 1 without a model or features. */
  fits(features: string | null): number {
    return this.model && features ? this.model.probabilityOf(features, ANSWERS) : 1;
  }
}
