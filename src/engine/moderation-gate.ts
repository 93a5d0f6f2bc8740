/**
 * "Is this moderator's question about children's safety at all?" The safety classifier reads any
 * moderator's question as the moderator route, and the route answers with a moderation fact: a
 * moderator asking how to deal with slurs, spam or a raid got child-protection guidance that does
 * not answer them (26 of held-out set 11's 177 uncovered questions). Teaching the safety classifier
 * those questions as off-topic cost refusals on the frozen fold, so this separate model judges only
 * the messages already routed to moderators: when it reads the question as about other harms, the
 * moderator reply is withheld and retrieval decides (which, for those, says "I don't have that").
 *
 * A linear model (safety/linear.ts, the safety classifier's features) over two labels: the safety
 * corpus's moderator rows (training fold) and corpus/gate/'s moderator rows as `csec`; corpus/gate/'s
 * `other_moderation` rows and the corpus's tech-support rows as `other`.
 */
import { classifierText } from "./safety/classifier.js";
import { LINEAR_PARAMS, type LinearLabeller, type LinearParams } from "./safety/linear.js";

export const GATE_CSEC = "csec";
export const GATE_OTHER = "other";

/** 2^16 buckets for two labels (a 128 KB file); the features and epochs of the safety classifier's model. */
export const MODERATION_GATE_PARAMS: LinearParams = { ...LINEAR_PARAMS, bits: 16, share: 1 };

/** The trained gate, if any: the probability that a moderator's question is about other harms. */
export class ModerationGate {
  constructor(private readonly model?: LinearLabeller) {}

  /** P(about other harms); 0 without a model, so every moderator's question keeps its guidance. */
  other(text: string): number {
    return this.model ? this.model.probabilityOf(classifierText(text), GATE_OTHER) : 0;
  }
}
