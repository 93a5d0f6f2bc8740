/**
 * `npm run train`: builds the safety classifier from the labelled corpus, deterministically, and
 * chooses the decision thresholds on the dev fold; then the fact classifier (on a second thread), the
 * answer check, the moderation gate, the moderation picker and the moderation fit. Writes
 * knowledge/safety/model.bin, facts-model.bin, answer-check.bin, moderation-gate.bin,
 * moderation-picker.bin, moderation-fit.bin and model.yaml (the corpus hash, parameters, labels and
 * thresholds). The frozen test fold is not read.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { dump } from "js-yaml";
import { ANSWER_CHECK_PARAMS, ANSWERS, DOES_NOT } from "../engine/answer-check.js";
import { Engine } from "../engine/engine.js";
import { fastTextFactClassifier, NO_FACT } from "../engine/fact-classifier.js";
import { MODERATION_FIT_PARAMS } from "../engine/moderation-fit.js";
import { GATE_CSEC, GATE_OTHER, MODERATION_GATE_PARAMS } from "../engine/moderation-gate.js";
import { MODERATION_PICKER_PARAMS, ModerationPicker } from "../engine/moderation-picker.js";
import type { Route } from "../engine/router.js";
import type { Probabilities } from "../engine/safety/classifier.js";
import { decideKind, type SafetyRouteKind, type Thresholds } from "../engine/safety/decide.js";
import {
  FastTextClassifier,
  loadFastText,
  trainFastTextViews,
  trainingLine,
  type View,
} from "../engine/safety/fasttext.js";
import { LINEAR_PARAMS, type LinearParams, loadLinear, trainLinear } from "../engine/safety/linear.js";
import { yearsIn } from "../engine/years.js";
import {
  type Corpus,
  FACTUAL_SUBTYPE,
  isDev,
  type LabelledRow,
  loadCorpus,
  NO_FACT_MARK,
  type Paraphrase,
  rowKey,
} from "../knowledge/corpus.js";
import { KnowledgeError, KnowledgeLoader, type Problem, SAFETY_MODEL, sha256 } from "../knowledge/load.js";
import {
  type Fact,
  type Knowledge,
  type ModelManifest,
  moderationFactIds,
  type SafetyClass,
  SafetyClassSchema,
  type SafetyModelFiles,
} from "../knowledge/schema.js";
import type { TrainJob } from "./train-worker.js";

/**
 * fastText's parameters, chosen on the dev batches (one model per process; see the README): word
 * bigrams and character 3-5-grams (typos, text-speak, other languages) scored best, log loss 0.227
 * against 0.244 for words alone. With the larger corpus of round 3, 25 epochs did best on the dev
 * batches (resources 78% -> 89%, moderator 95% -> 97% at the same 2.4% of learning questions alarmed;
 * 15, 20 and 30 were tried); 20,000 buckets at 16 dimensions keep the model near 2 MB, and 32
 * dimensions did no better. `seed` and the single thread make it repeatable.
 */
export const TRAIN_PARAMS: Record<string, number | string> = {
  loss: "softmax",
  epoch: 25,
  lr: 0.5,
  wordNgrams: 2,
  minn: 3,
  maxn: 5,
  dim: 16,
  bucket: 20000,
  minCount: 1,
  seed: 1,
  verbose: 0,
};

/**
 * The safety classifier is the average of one model per view (`EnsembleLabeller`) of the shared
 * parameters above, and of the linear model (`LINEAR_PARAMS`, three quarters of the weight): words only up to
 * trigrams, and words and bigrams with wider vectors. Chosen on the dev batches against single models
 * and other sets of views: three views scored 94.9% right and log loss 0.152, the best one model 94.7%
 * and 0.189. Once the linear model (which reads character n-grams too) joined, the characters-only view
 * (2-6) added nothing: without it 97.2% and 0.0887, with it 97.1% and 0.0889, and it took 12 s to train.
 */
export const TRAIN_VIEWS: View[] = [
  { minn: 0, maxn: 0, wordNgrams: 3 },
  { minn: 0, maxn: 0, wordNgrams: 2, dim: 32 },
];

/** The rules' verdict on a message (the model reads it as a feature). */
export type RouteOf = (text: string) => Route | null;

/** The training lines, each with the rules' verdict, in a fixed pseudo-random order (fastText learns in file order). */
export function trainingLines(rows: LabelledRow[], routeOf: RouteOf): string[] {
  return rows
    .map((r) => ({
      line: trainingLine(r.class, r.text, routeOf(r.text)),
      order: sha256(`${r.class}\t${rowKey(r.text)}`),
    }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .map((r) => r.line);
}

/** What the model is a function of: the training lines and the parameters. */
export function corpusHash(lines: string[], params: Record<string, number | string>): string {
  return sha256(`${JSON.stringify(params)}\n${lines.join("\n")}`);
}

/**
 * The cost of giving a message of one class a route, used to choose thresholds on the dev fold.
 * The asymmetry is the product's: missing a disclosure or answering an offender is the worst error;
 * over-alarming costs less than under-alarming; refusing a learner costs more than a check-in.
 */
const NONE = "none";
type Routed = SafetyRouteKind | typeof NONE;
const COST: Record<SafetyClass, Partial<Record<Routed, number>> & { other: number }> = {
  // a disclosure given only the check-in still sees the emergency number and lines, but not what to do next
  // (8, not 5: at 5 the joint search traded urgent replies for check-ins, dev urgent 97.7% against 98.6%)
  urgent: { urgent: 0, check_in: 8, [NONE]: 20, other: 6 },
  refusal: { refusal: 0, check_in: 3, urgent: 3, help_seeking: 3, [NONE]: 10, other: 5 },
  help_seeking: { help_seeking: 0, check_in: 2, refusal: 3, urgent: 3, [NONE]: 5, other: 3 },
  resources: { resources: 0, urgent: 1, check_in: 1, moderator: 2, [NONE]: 3, other: 5 },
  moderator: { moderator: 0, urgent: 1, check_in: 2, resources: 2, [NONE]: 4, other: 6 },
  // a learner given the wrong kind of reply has still not been answered; refusing one is the worst
  // over-alarming is the safe error: an urgent referral to a learner costs less than refusing one
  benign: { [NONE]: 0, check_in: 2, resources: 3, moderator: 4, urgent: 4, help_seeking: 6, other: 10 },
  offtopic: { [NONE]: 0, check_in: 2, resources: 3, moderator: 4, urgent: 4, help_seeking: 6, other: 10 },
};

function cost(label: SafetyClass, routed: Routed): number {
  const c = COST[label];
  return c[routed] ?? c.other;
}

const GRID = Array.from({ length: 19 }, (_, i) => Math.round((0.05 + i * 0.05) * 100) / 100);

export interface DevRow {
  label: SafetyClass;
  /**
   * a learning question or an off-topic message in a dev batch (written by an independent author, like
   * the test fold): neither may be alarmed. Off-topic messages joined the budget when long worried
   * narratives about adults ("my dad, 84, is being exploited by his carer") drew urgent replies.
   */
  learning: boolean;
  /** one of the facts' own questions (trained on): only checked against OWN_QUESTION_BUDGET */
  own?: boolean;
  /** a row of a dev batch (corpus/dev/, an independent author's): its class's recall is held to RECALL_FLOORS */
  batch?: boolean;
  route: Route | null;
  probs: Probabilities;
}

/**
 * The share of the dev batches' learning questions and off-topic messages (written by independent
 * authors, like the test fold) that may be alarmed: an urgent referral or a refusal. Measured on the
 * dev batches, 1% (the issue's target) cost urgent recall 0.925 against 0.974 at 1.5% alarms: danger
 * comes first, so the budget is 2%, and the README reports the false alarms that follow. A check-in is
 * not an alarm; its cost is in the table above.
 */
const LEARNING_ALARM_BUDGET = 0.02;
const ALARMS = new Set<Routed>(["urgent", "refusal"]);

/**
 * The dev batches' learning questions that may get the care-first check-in instead of an answer: 2%,
 * the ceiling the tests hold the labelled factual set to (at 3% the thresholds chose check-ins for 2.9%
 * of that set, and 2.4% of the test fold's learning questions).
 */
const LEARNING_CHECK_IN_BUDGET = 0.02;
/** The facts' own questions (all trained on) that may be alarmed or checked in: they must just work. */
const OWN_QUESTION_BUDGET = 0.005;

/**
 * The recall the dev batches' messages of each danger class must keep: issue 8's targets. The costs
 * alone let a retrain trade them away: round 11's models, eleven training rows apart, chose refusal
 * 0.65 or 0.7, and at 0.7 the dev batches' refusals fell to 96.3% (97.2% at 0.65).
 */
const RECALL_FLOORS: Partial<Record<SafetyClass, number>> = {
  urgent: 0.99,
  refusal: 0.97,
  help_seeking: 0.95,
  moderator: 0.95,
};

/** The counts a threshold candidate is scored on: the cost of its errors and the budgets' shares. */
interface Tally {
  sum: number;
  learning: { n: number; alarmed: number; checked: number };
  own: { n: number; missed: number };
  /** the dev batches' rows per class with a recall floor, and how many got their class's route */
  recall: Partial<Record<SafetyClass, { n: number; right: number }>>;
}

function emptyTally(): Tally {
  return { sum: 0, learning: { n: 0, alarmed: 0, checked: 0 }, own: { n: 0, missed: 0 }, recall: {} };
}

function count(tally: Tally, r: DevRow, routed: Routed): void {
  if (r.own) {
    tally.own.n++;
    // a moderation fact's own question is answered by the moderator route (with that fact)
    if (routed !== NONE && !(r.label === "moderator" && routed === "moderator")) tally.own.missed++;
    return;
  }
  tally.sum += cost(r.label, routed);
  if (r.batch && RECALL_FLOORS[r.label] !== undefined) {
    const k = tally.recall[r.label] ?? { n: 0, right: 0 };
    tally.recall[r.label] = k;
    k.n++;
    if (routed === r.label) k.right++;
  }
  if (r.learning) {
    tally.learning.n++;
    if (ALARMS.has(routed)) tally.learning.alarmed++;
    if (routed === "check_in") tally.learning.checked++;
  }
}

/**
 * The total cost of thresholds `t` on `rows`, added to `base` (the rows no threshold can route; see
 * `neverRouted`). Budgets are hard limits: a threshold that breaks one costs more than every error together.
 */
function totalCost(rows: DevRow[], t: Thresholds, certain: ReadonlySet<string>, base = emptyTally()): number {
  const recall = Object.fromEntries(Object.entries(base.recall).map(([k, v]) => [k, { ...v }]));
  const tally: Tally = { sum: base.sum, learning: { ...base.learning }, own: { ...base.own }, recall };
  for (const r of rows) count(tally, r, decideKind(r.route, { probs: r.probs, thresholds: t, certain }) ?? NONE);
  const { sum, learning, own } = tally;
  const over = (k: number, n: number, budget: number) => (n > 0 && k / n > budget ? 1e6 * (k / n) : 0);
  // a floor broken costs as a budget broken, more the further below it
  const under = Object.entries(tally.recall).reduce((a, [label, { n, right }]) => {
    const floor = RECALL_FLOORS[label as SafetyClass] ?? 0;
    return a + (n > 0 && right / n < floor ? 1e6 * (floor - right / n) : 0);
  }, 0);
  return (
    sum +
    over(learning.alarmed, learning.n, LEARNING_ALARM_BUDGET) +
    over(learning.checked, learning.n, LEARNING_CHECK_IN_BUDGET) +
    over(own.missed, own.n, OWN_QUESTION_BUDGET) +
    under
  );
}

/**
 * A row no threshold on the grid can route: no certain rule fires, and every class with a threshold
 * is below the grid's lowest value. Its cost is the same for every candidate, so it is counted once
 * (most of the learning questions and the facts' own questions: the search runs in half the time).
 */
function neverRouted(r: DevRow, certain: ReadonlySet<string>): boolean {
  const low = GRID[0] as number;
  const p = r.probs;
  return (
    !(r.route && certain.has(r.route.rule)) &&
    p.urgent < low &&
    p.help_seeking < low &&
    p.refusal < low &&
    p.resources < low &&
    p.moderator < low
  );
}

/**
 * Rules right on at least this share of the training rows they fire on, and firing on at least
 * CERTAIN_SUPPORT of them (three right out of three proves nothing), decide outright.
 */
const CERTAIN_PRECISION = 0.95;
const CERTAIN_SUPPORT = 10;

/**
 * Which rules are certain, measured on the training rows: a rule's route is right when it is the row's
 * class (a resources route for a help-seeker is right too: that reply lists the prevention lines).
 */
export function certainRules(rows: LabelledRow[], routeOf: RouteOf): string[] {
  const fired = new Map<string, { n: number; right: number }>();
  for (const r of rows) {
    const route = routeOf(r.text);
    if (!route) continue;
    const f = fired.get(route.rule) ?? { n: 0, right: 0 };
    f.n++;
    if (route.kind === r.class || (route.kind === "resources" && r.class === "help_seeking")) f.right++;
    fired.set(route.rule, f);
  }
  return [...fired]
    .filter(([, f]) => f.n >= CERTAIN_SUPPORT && f.right / f.n >= CERTAIN_PRECISION)
    .map(([rule]) => rule)
    .sort();
}

/**
 * The thresholds chosen together: a class's threshold and its check-in threshold are one choice (a
 * message below one is caught by the other), searched on a joint grid; the rest one at a time.
 */
const THRESHOLD_GROUPS: (keyof Thresholds)[][] = [
  ["urgent", "care_urgent"],
  ["refusal", "care_refusal"],
  ["help_seeking"],
  ["resources"],
  ["moderator"],
  ["override"],
];

/**
 * Thresholds that minimise the total cost on the dev fold, one group at a time (THRESHOLD_GROUPS),
 * up to three passes (fewer when one moves nothing), each candidate's cost smoothed with its grid
 * neighbours'. Where several candidates cost the same, the middle of that plateau: the widest margin
 * on both sides. Without the smoothing,
 * adding a few hundred training rows moved the urgent threshold between 0.1 and 0.35; without the
 * joint search, a threshold and its check-in threshold settled wherever the one searched first left
 * the other (two corpora two rows apart chose urgent 0.15 with check-in 0.15, or 0.35 with 0.05).
 */
export function chooseThresholds(rows: DevRow[], certain: ReadonlySet<string>): Thresholds {
  const t: Thresholds = {
    urgent: 0.5,
    help_seeking: 0.5,
    refusal: 0.5,
    resources: 0.5,
    moderator: 0.5,
    override: 0.9,
    care_urgent: 0.3,
    care_refusal: 0.3,
  };
  const base = emptyTally();
  for (const r of rows.filter((r) => neverRouted(r, certain))) count(base, r, NONE);
  const routable = rows.filter((r) => !neverRouted(r, certain));
  for (let pass = 0; pass < 3; pass++) {
    const before = JSON.stringify(t);
    for (const group of THRESHOLD_GROUPS) {
      // every combination of grid values for the group (a check-in threshold at most its class's)
      const axes = group.map(() => GRID.map((_, i) => i));
      const cells = axes.reduce<number[][]>((acc, axis) => acc.flatMap((c) => axis.map((i) => [...c, i])), [[]]);
      const valid = (c: number[]) => c.length < 2 || (c[1] as number) <= (c[0] as number);
      const raw = new Map<string, number>();
      for (const c of cells.filter(valid)) {
        const values = Object.fromEntries(group.map((k, j) => [k, GRID[c[j] as number]]));
        raw.set(c.join(), totalCost(routable, { ...t, ...values }, certain, base));
      }
      // each candidate's cost with its grid neighbours': a choice in a wide low valley, not on a spike
      // that a few dev rows made
      const smoothed = [...raw].map(([key, cost]) => {
        const c = key.split(",").map(Number);
        const near = cells
          .filter((n) => n.every((v, j) => Math.abs(v - (c[j] as number)) <= 1))
          .map((n) => raw.get(n.join()))
          .filter((v): v is number => v !== undefined);
        return { c, cost: (cost * near.length + near.reduce((a, b) => a + b, 0)) / (2 * near.length) };
      });
      const best = Math.min(...smoothed.map((x) => x.cost));
      const plateau = smoothed.filter((x) => x.cost === best);
      const chosen = plateau[Math.floor((plateau.length - 1) / 2)];
      if (!chosen) continue;
      for (const [j, k] of group.entries()) t[k] = GRID[chosen.c[j] as number] as number;
    }
    // a pass that moved nothing would be repeated exactly by the next
    if (JSON.stringify(t) === before) break;
  }
  return t;
}

/**
 * The fact classifier's views: none, the one model FACTS_PARAMS describes. Four views (as for safety)
 * measured the same on the dev open sets (86.2% right against 86.4%), at four times the size.
 */
export const FACTS_VIEWS: View[] = [];

/**
 * The linear model beside the fact classifier, half the weight. On the dev open sets (covered right /
 * uncovered given a fact): set 2 90.0% / 2.0% went to 90.5% / 1.0%, set 3 91.5% / 12.1% to 92.8% / 8.2%,
 * set 1 the same (98.2% / 0.9%). 2^15 buckets (4.9 MB for 150 labels) did as well as 2^16.
 */
export const FACTS_LINEAR: LinearParams = { ...LINEAR_PARAMS, bits: 15, epochs: 4, minGradient: 1e-4, share: 0.5 };

/**
 * The open-set fact classifier's parameters: character n-grams help here (questions about one fact
 * share word pieces), 32 dimensions for about 150 labels; chosen on tests/eval/dev-covered.tsv and
 * dev-uncovered.tsv.
 */
export const FACTS_PARAMS: Record<string, number | string> = {
  loss: "softmax",
  epoch: 40,
  lr: 0.5,
  wordNgrams: 2,
  minn: 3,
  maxn: 5,
  dim: 32,
  bucket: 20000,
  minCount: 1,
  seed: 1,
  verbose: 0,
};

/**
 * Every fact's title, alternate questions and paraphrases as that fact; the corpus's off-topic rows
 * as none.
 */
export function factLines(facts: Fact[], rows: LabelledRow[], paraphrases: Paraphrase[] = []): string[] {
  const lines = [
    ...facts.flatMap((f) =>
      [f.title, ...f.questions].map((q) => ({ line: trainingLine(f.id, q), key: `${f.id}\t${q}` })),
    ),
    // A "no fact" question that names a year is left out: most are a fact's question about another
    // year, which the engine's year check answers for certain, and learning them taught the model that
    // "how many reports did NCMEC get in <year>" is about nothing, the fact's own year included.
    ...paraphrases
      .filter((p) => p.fact !== NO_FACT_MARK || yearsIn(p.text).size === 0)
      .map((p) => {
        const label = p.fact === NO_FACT_MARK ? NO_FACT : p.fact;
        return { line: trainingLine(label, p.text), key: `${label}\t${p.text}` };
      }),
    ...rows
      .filter((r) => r.class === "offtopic")
      .map((r) => ({ line: trainingLine(NO_FACT, r.text), key: `${NO_FACT}\t${r.text}` })),
  ];
  return lines
    .map((l) => ({ line: l.line, order: sha256(l.key) }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0))
    .map((l) => l.line);
}

/**
 * The answer check's lines (answer-check.ts): each paraphrase with its own fact says yes; each question
 * no fact answers, with the fact the lexical index finds for it, says no (the fact the engine would
 * otherwise have been tempted to give).
 */
export function answerCheckLines(engine: Engine, paraphrases: Paraphrase[]): string[] {
  return paraphrases.flatMap((p) => {
    const fact = p.fact === NO_FACT_MARK ? engine.retrieve(p.text, 1).facts[0]?.id : p.fact;
    return checkLine(engine, p.fact === NO_FACT_MARK ? DOES_NOT : ANSWERS, p.text, fact);
  });
}

/**
 * One line in the answer check's features (the answer check and its "no" lines learn these; the
 * moderation fit adds the best other fact's): the label, then the question's words found and missing
 * in the fact's; none where there is no fact or no features.
 */
function checkLine(engine: Engine, label: string, text: string, fact: string | null | undefined): string[] {
  return featureLine(label, fact && engine.answerCheck.features(engine.questionTerms(text), fact));
}

/** A labelled line of a linear model's features; none where there are none. */
function featureLine(label: string, features: string | null | undefined | "" | false): string[] {
  return features ? [`__label__${label} ${features}`] : [];
}

/** The subtype of a moderator's question about other harms (corpus/gate/, and the taxonomy). */
export const OTHER_MODERATION = "other_moderation";

/**
 * The moderation gate's lines (moderation-gate.ts): moderators' questions about children's safety as
 * csec (the corpus's training fold and corpus/gate/), their questions about other harms and the
 * corpus's tech-support questions as other. Gate rows in the dev share (`isDev`) are held out to choose
 * the engine's threshold.
 */
export function moderationGateLines(corpus: Corpus): string[] {
  const gate = corpus.gate.filter((r) => !isDev(r.text));
  const csec = [...corpus.train, ...gate].filter((r) => r.class === "moderator");
  const other = [
    ...gate.filter((r) => r.subtype === OTHER_MODERATION),
    ...corpus.train.filter((r) => r.subtype === "tech_support"),
  ];
  return [...csec.map((r) => trainingLine(GATE_CSEC, r.text)), ...other.map((r) => trainingLine(GATE_OTHER, r.text))];
}

/**
 * More "other" lines for the gate: the questions no fact answers (paraphrases marked "-", outside the
 * dev share) that the safety route just trained sends to moderators ("is there a minimum age to use
 * slack", "someone is advertising selling weed in our discord"). Those reach the moderator route and
 * would get a moderation fact they do not ask about. `routesToModerator` is the trained classifier with
 * its chosen thresholds, as the engine decides. All the no-fact questions, not only these, withheld
 * more of the dev batches' moderators (README, round 9).
 */
export function moderationGateHardNegatives(
  paraphrases: Paraphrase[],
  routesToModerator: (text: string) => boolean,
): string[] {
  return paraphrases
    .filter((p) => p.fact === NO_FACT_MARK && !isDev(p.text) && routesToModerator(p.text))
    .map((p) => trainingLine(GATE_OTHER, p.text));
}

/**
 * The moderation picker's lines (moderation-picker.ts): each moderation fact's title, alternate
 * questions and paraphrases, and the corpus's moderator rows as the fact that claims their subtype.
 */
export function moderationPickerLines(facts: Fact[], corpus: Corpus): string[] {
  const ids = moderationFactIds(facts);
  const moderation = facts.filter((f) => ids.has(f.id));
  return [
    ...moderation.flatMap((f) => [f.title, ...f.questions].map((q) => trainingLine(f.id, q))),
    ...[...corpus.paraphrases, ...corpus.moderatorQuestions]
      .filter((p) => ids.has(p.fact))
      .map((p) => trainingLine(p.fact, p.text)),
  ];
}

/**
 * The moderation fit's lines (moderation-fit.ts), in its features (`Engine.moderationFitFeatures`:
 * the answer check's for the moderation fact, and the best other fact's; `engine` should carry the
 * fact classifier and the answer check just trained): moderators' own
 * messages (the corpus's moderator rows with the fact that claims their subtype) and the moderation
 * facts' paraphrases with their fact say yes; moderators' questions about other matters (corpus/gate/),
 * the questions no fact answers and the questions another fact answers that the route sends to
 * moderators (`routesToModerator`: "UK mod here, can I report grooming to the IWF?" is the IWF's
 * fact, not a moderation one), each with the fact the picker would choose (`pick`), say no. Nothing
 * of the dev share.
 */
export function moderationFitLines(
  engine: Engine,
  facts: Fact[],
  corpus: Corpus,
  pick: (text: string) => string | null,
  routesToModerator: (text: string) => boolean,
): string[] {
  const moderation = moderationFactIds(facts);
  const line = (label: string, text: string, fact: string | null | undefined) =>
    featureLine(label, fact && engine.moderationFitFeatures(text, engine.questionTerms(text), fact));
  const yes = [...corpus.moderatorQuestions, ...corpus.paraphrases.filter((p) => moderation.has(p.fact))]
    .filter((p) => !isDev(p.text))
    .flatMap((p) => line(ANSWERS, p.text, p.fact));
  const other = [
    ...corpus.gate.filter((r) => r.subtype === OTHER_MODERATION && !isDev(r.text)).map((r) => r.text),
    ...corpus.paraphrases
      .filter((p) => !moderation.has(p.fact) && !isDev(p.text) && routesToModerator(p.text))
      .map((p) => p.text),
  ];
  const no = other.flatMap((text) => line(DOES_NOT, text, pick(text)));
  return [...yes, ...no];
}

/**
 * More "no" lines for the answer check: each question no fact answers, with the fact the fact
 * classifier would choose for it where that is not the lexical index's (answerCheckLines pairs it
 * with the index's). The classifier's fact is the one the engine gives when the classifier is sure,
 * so the check must learn to doubt it too: on dev sets 1-5, over three seeds, with the per-fact years
 * (answer-check.ts), 17.3 uncovered questions were given a fact on average against 19.3, and 1,100.7
 * covered questions were right against 1,101.0.
 */
export function answerCheckGuessLines(
  engine: Engine,
  paraphrases: Paraphrase[],
  guess: (text: string) => string | undefined,
): string[] {
  return paraphrases.flatMap((p) => {
    if (p.fact !== NO_FACT_MARK) return [];
    const guessed = guess(p.text);
    if (!guessed || guessed === engine.retrieve(p.text, 1).facts[0]?.id) return [];
    return checkLine(engine, DOES_NOT, p.text, guessed);
  });
}

export interface TrainResult extends SafetyModelFiles {
  corpus: Corpus;
  seconds: number;
  /**
   * CPU seconds this process spent, both threads (the fact classifier trains in a worker): what the
   * training costs whatever else the machine is doing (the tests train while other test files run).
   */
  cpuSeconds: number;
}

/** What the models are a function of: their training lines and parameters. */
function inputsHash(
  knowledge: Knowledge,
  corpus: Corpus,
  rules: Engine,
  routeOf: RouteOf,
  lines = trainingLines(corpus.train, routeOf),
  checkLines = answerCheckLines(rules, corpus.paraphrases),
): string {
  const factsLines = factLines(knowledge.facts, corpus.train, corpus.paraphrases);
  const moderation = [...moderationGateLines(corpus), ...moderationPickerLines(knowledge.facts, corpus)];
  return corpusHash([...lines, ...factsLines, ...checkLines, ...moderation], {
    ...TRAIN_PARAMS,
    ...Object.fromEntries(Object.entries(FACTS_PARAMS).map(([k, v]) => [`facts.${k}`, v])),
    ...(TRAIN_VIEWS.length > 0 ? { views: JSON.stringify(TRAIN_VIEWS) } : {}),
    ...(FACTS_VIEWS.length > 0 ? { "facts.views": JSON.stringify(FACTS_VIEWS) } : {}),
    linear: JSON.stringify(LINEAR_PARAMS),
    answer_check: JSON.stringify(ANSWER_CHECK_PARAMS),
    moderation_gate: JSON.stringify(MODERATION_GATE_PARAMS),
    moderation_picker: JSON.stringify(MODERATION_PICKER_PARAMS),
    moderation_fit: JSON.stringify(MODERATION_FIT_PARAMS),
  });
}

/**
 * A labeller trained in a worker thread (train-worker.ts), as bytes. From the TypeScript sources the
 * worker needs tsx as the main thread does; from dist/ it is plain JavaScript.
 */
function trainInWorker(job: TrainJob): Promise<Uint8Array> {
  const source = import.meta.url.endsWith(".ts");
  const url = new URL(`./train-worker.${source ? "ts" : "js"}`, import.meta.url).href;
  const load = source
    ? `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`
    : `import(${JSON.stringify(url)})`;
  const worker = new Worker(load, { eval: true, workerData: job });
  return new Promise((resolve, reject) => {
    worker.once("message", (bytes: Uint8Array) => resolve(new Uint8Array(bytes)));
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`the training worker exited with code ${code}`));
    });
  });
}

export async function trainSafetyModel(
  dir: string,
  params = TRAIN_PARAMS,
  views = TRAIN_VIEWS,
  factsViews = FACTS_VIEWS,
  linear: LinearParams | null = LINEAR_PARAMS,
): Promise<TrainResult> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const knowledge = new KnowledgeLoader(dir, { model: false }).load();
  const corpus = loadCorpus(dir, knowledge.facts);
  if (corpus.problems.length > 0) throw new KnowledgeError(corpus.problems);
  const rules = new Engine(knowledge);
  // each message's rule verdict once: the training lines, the certain rules and the hash all need it
  const routes = new Map<string, Route | null>();
  const routeOf: RouteOf = (text) => {
    if (!routes.has(text)) routes.set(text, rules.ruleRoute(text));
    return routes.get(text) ?? null;
  };
  const lines = trainingLines(corpus.train, routeOf);
  // the fact classifier trains in a worker thread, on the second core, while the safety classifier
  // trains here (the same bytes either way: each is seeded and single-threaded)
  const factBytesTrained = trainInWorker({
    lines: factLines(knowledge.facts, corpus.train, corpus.paraphrases),
    params: FACTS_PARAMS,
    views: factsViews,
    linear: FACTS_LINEAR,
  });
  // the thresholds are chosen on the model as the engine will load it (the linear model's weights are
  // stored as 8-bit integers), not on the one in memory
  const trained = await trainFastTextViews(lines, params, views, linear);
  const classifier = new FastTextClassifier(await loadFastText(await trained.bytes()));
  const factBytes = await factBytesTrained;
  // the check's lines from the index (what the hash reads: the classifier's own are a function of the
  // same inputs), then those from the fact classifier just trained
  const checkLines = answerCheckLines(rules, corpus.paraphrases);
  const factClassifier = fastTextFactClassifier(await loadFastText(factBytes));
  const guess = (text: string) => factClassifier.guess(text, 2).find((g) => g.id !== NO_FACT)?.id;
  const answerCheck = await trainLinear(
    [...checkLines, ...answerCheckGuessLines(rules, corpus.paraphrases, guess)],
    ANSWER_CHECK_PARAMS,
  ).bytes();
  const certain = certainRules(corpus.train, routeOf);
  const judged = (r: LabelledRow, own: boolean): DevRow => {
    const route = routeOf(r.text);
    return {
      label: r.class,
      learning: (r.class === "benign" || r.class === "offtopic") && r.file.includes("/dev/"),
      batch: !own && r.file.includes("/dev/"),
      own,
      route,
      probs: classifier.predict(r.text, route),
    };
  };
  const dev: DevRow[] = [
    ...corpus.dev.map((r) => judged(r, false)),
    ...corpus.train.filter((r) => r.subtype === FACTUAL_SUBTYPE).map((r) => judged(r, true)),
  ];
  const certainSet = new Set(certain);
  const thresholds = chooseThresholds(dev, certainSet);
  // the gate's hard negatives and the fit's "no" lines ask it of the same questions: once each
  const routed = new Map<string, boolean>();
  const routesToModerator = (text: string) => {
    let moderator = routed.get(text);
    if (moderator === undefined) {
      const route = routeOf(text);
      const probs = classifier.predict(text, route);
      moderator = decideKind(route, { probs, thresholds, certain: certainSet }) === "moderator";
      routed.set(text, moderator);
    }
    return moderator;
  };
  const moderationGate = await trainLinear(
    [...moderationGateLines(corpus), ...moderationGateHardNegatives(corpus.paraphrases, routesToModerator)],
    MODERATION_GATE_PARAMS,
  ).bytes();
  const moderationPicker = await trainLinear(
    moderationPickerLines(knowledge.facts, corpus),
    MODERATION_PICKER_PARAMS,
  ).bytes();
  const picker = new ModerationPicker(loadLinear(moderationPicker));
  const moderationIds = moderationFactIds(knowledge.facts);
  // the fit reads the fact classifier's best other fact and the answer check's word on it: an engine
  // with the two models just trained
  const withModels = new Engine(knowledge, { facts: factClassifier, answerCheck: loadLinear(answerCheck) });
  const moderationFit = await trainLinear(
    moderationFitLines(
      withModels,
      knowledge.facts,
      corpus,
      (text) => picker.pick(text, (id) => moderationIds.has(id)),
      routesToModerator,
    ),
    MODERATION_FIT_PARAMS,
  ).bytes();
  const bytes = await classifier.labeller.bytes();
  const manifest: ModelManifest = {
    corpus: inputsHash(knowledge, corpus, rules, routeOf, lines, checkLines),
    model: sha256(bytes),
    facts_model: sha256(factBytes),
    answer_check_model: sha256(answerCheck),
    moderation_gate_model: sha256(moderationGate),
    moderation_picker_model: sha256(moderationPicker),
    moderation_fit_model: sha256(moderationFit),
    params,
    facts_params: FACTS_PARAMS,
    views,
    facts_views: factsViews,
    linear: linear ? { ...linear } : null,
    facts_linear: { ...FACTS_LINEAR },
    answer_check: { ...ANSWER_CHECK_PARAMS },
    moderation_gate: { ...MODERATION_GATE_PARAMS },
    moderation_picker: { ...MODERATION_PICKER_PARAMS },
    moderation_fit: { ...MODERATION_FIT_PARAMS },
    labels: SafetyClassSchema.options.filter((c) => corpus.train.some((r) => r.class === c)),
    thresholds,
    rows: { train: corpus.train.length, dev: corpus.dev.length },
    certain_rules: certain,
  };
  const used = process.cpuUsage(cpu);
  return {
    manifest,
    bytes,
    facts: factBytes,
    answerCheck,
    moderationGate,
    moderationPicker,
    moderationFit,
    corpus,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
  };
}

export function writeModel(dir: string, result: TrainResult): void {
  writeFileSync(join(dir, SAFETY_MODEL.bin), result.bytes);
  writeFileSync(join(dir, SAFETY_MODEL.factsBin), result.facts);
  writeFileSync(join(dir, SAFETY_MODEL.checkBin), result.answerCheck);
  writeFileSync(join(dir, SAFETY_MODEL.gateBin), result.moderationGate);
  writeFileSync(join(dir, SAFETY_MODEL.pickerBin), result.moderationPicker);
  writeFileSync(join(dir, SAFETY_MODEL.fitBin), result.moderationFit);
  const header =
    "# Written by `npm run train`; do not edit. `corpus` is the SHA-256 of the training lines and\n" +
    "# parameters: `factbot check` fails when the corpus changed and the model was not retrained.\n";
  writeFileSync(join(dir, SAFETY_MODEL.manifest), header + dump(result.manifest, { lineWidth: 100 }));
}

/** The fewest rows a subtype may have across the corpus (train and test). */
export const MIN_SUBTYPE_ROWS = 20;

/**
 * The corpus and the model, for `factbot check`: every row valid, no message twice, every subtype
 * with enough rows, and a model trained on exactly this corpus.
 */
export function checkSafetyModel(dir: string): Problem[] {
  const loader = new KnowledgeLoader(dir, { model: false });
  const knowledge = loader.load();
  const corpus = loadCorpus(dir, knowledge.facts);
  const problems = [...corpus.problems];
  const taxonomyFile = SAFETY_MODEL.taxonomy;
  const all = [...corpus.train, ...corpus.dev, ...corpus.test, ...corpus.gate];
  for (const [cls, entry] of Object.entries(corpus.taxonomy.classes)) {
    for (const subtype of Object.keys(entry.subtypes)) {
      const n = all.filter((r) => r.class === cls && r.subtype === subtype).length;
      if (n < MIN_SUBTYPE_ROWS) {
        problems.push({
          file: taxonomyFile,
          field: `${cls}.${subtype}`,
          message: `has ${n} rows; needs at least ${MIN_SUBTYPE_ROWS}`,
        });
      }
    }
  }
  const rules = new Engine(knowledge);
  const modelLoader = new KnowledgeLoader(dir);
  const model = modelLoader.readModel(dir);
  problems.push(...modelLoader.problems);
  if (!model && modelLoader.problems.length === 0) {
    problems.push({ file: SAFETY_MODEL.manifest, field: "", message: "no trained model: run npm run train" });
  } else if (
    model &&
    corpus.problems.length === 0 &&
    inputsHash(knowledge, corpus, rules, (text) => rules.ruleRoute(text)) !== model.manifest.corpus
  ) {
    problems.push({
      file: SAFETY_MODEL.manifest,
      field: "corpus",
      message: "the corpus or the facts' questions changed since the model was trained: run npm run train",
    });
  }
  return problems;
}
