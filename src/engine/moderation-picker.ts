/**
 * "Which moderation fact does this moderator need?" Once a message is routed to moderators, the reply
 * is one of the moderation facts (knowledge/facts/moderation.yaml). The fact classifier chose it
 * before, trained on short questions; moderators write long messages ("I run a teen fan server and an
 * adult slipped in, the kids say he's messaging them privately"), and for the dev batches' moderators
 * it chose the fact their subtype names 246 times in 347 (the lexical index did worse).
 *
 * This model learns those messages: the safety corpus's moderator rows, each as the moderation fact
 * that claims its subtype (a fact's `moderator_subtypes`; corpus.ts), with the moderation facts' own
 * questions and paraphrases. A linear model (safety/linear.ts, the safety classifier's features) over
 * the moderation facts only, so it cannot pull any other question towards them: retrieval does not
 * read it. On the dev batches it chose the subtype's fact for 340 of 347 (round 8), and for 370 of 377
 * once a fact claimed `policy_and_bans`, the hardest subtype to tell apart (round 9).
 */
import { classifierText } from "./safety/classifier.js";
import { LINEAR_PARAMS, type LinearLabeller, type LinearParams } from "./safety/linear.js";

/** 2^14 buckets for the moderation facts (15 labels, a 225 KB file); 2^16 chose the same facts but for one. */
export const MODERATION_PICKER_PARAMS: LinearParams = { ...LINEAR_PARAMS, bits: 14, share: 1 };

/** The trained picker, if any: the moderation fact a moderator's message is most likely about. */
export class ModerationPicker {
  constructor(private readonly model?: LinearLabeller) {}

  /** The likeliest moderation fact's id among `known`, or null without a model. */
  pick(text: string, known: (id: string) => boolean): string | null {
    if (!this.model) return null;
    return this.model.labels(classifierText(text)).find((l) => known(l.label))?.label ?? null;
  }
}
