/**
 * The labelled safety corpus (knowledge/safety/corpus/): tab-separated rows of class, subtype and
 * message, checked against the taxonomy. Folds:
 *   - train/  rows the classifier learns from; a fixed fifth of them (by a hash of the text) joins
 *             the dev fold, kept out of training;
 *   - dev/    batches written like the test batches, by authors who saw only the taxonomy: with the
 *             fifth of train/, the dev fold, used only to choose the decision thresholds;
 *   - test/   the frozen test fold, written batch by batch by authors who saw only the taxonomy. It is
 *             never trained on and never used to choose anything: only `npm run eval` and the tests
 *             read it.
 * Every fact's alternate questions join the training rows (subtype `factual`), all of them, and so do
 * the paraphrases of facts (below): as `benign`, since learning questions, however they are worded,
 * must not read as alarms; a moderation fact's as `moderator` (`classOfFact`).
 *
 * knowledge/paraphrases/*.tsv (`fact` and `question`) are more ways people ask for each fact, and (with
 * fact `-`) questions near the facts that none of them answers, written by authors who saw the facts
 * but none of the held-out questions: the fact classifier learns from them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { KnowledgeLoader, type Problem, SAFETY_MODEL, sha256 } from "./load.js";
import {
  CorpusRowSchema,
  type Fact,
  MODERATION_TAG,
  type SafetyClass,
  type Taxonomy,
  TaxonomySchema,
} from "./schema.js";

export interface LabelledRow {
  class: SafetyClass;
  subtype: string;
  text: string;
  /** the file (relative to the knowledge folder) and line it came from */
  file: string;
  line: number;
}

/** A question one fact answers, as another person would ask it (knowledge/paraphrases/). */
export interface Paraphrase {
  fact: string;
  text: string;
  file: string;
  line: number;
  /** from paraphrases/facts-only/: taught to the fact classifier and the answer check, not the safety classifier */
  factsOnly: boolean;
}

/**
 * Paraphrases the safety classifier does not learn as learning questions. Round 8's `part-m` (short
 * fragments and live-session phrasings, many about reporting and moderation) moved its dev batches'
 * resources from 94.1% to 91.8% and moderator from 97.4% to 96.9%; the fact models gain from it.
 */
export const FACTS_ONLY_FOLDER = "facts-only";

export interface Corpus {
  taxonomy: Taxonomy;
  train: LabelledRow[];
  paraphrases: Paraphrase[];
  dev: LabelledRow[];
  test: LabelledRow[];
  /**
   * corpus/gate/: rows only the moderation gate learns from (engine/moderation-gate.ts): moderators'
   * questions about other harms, and child-protection moderators' questions in the same words. The
   * safety classifier does not learn them (learning them cost refusals on the frozen fold).
   */
  gate: LabelledRow[];
  /**
   * The moderator rows of the training fold and of corpus/gate/ (never the dev share or the test fold)
   * as questions for the moderation fact that claims their subtype (a fact's `moderator_subtypes`).
   * The moderation picker learns them (engine/moderation-picker.ts). Taught to the fact classifier
   * instead, they chose the dev batches' moderators' facts nearly as well but pulled more questions on
   * other subjects towards a fact; taught to the answer check, it doubted moderators' long messages
   * less but let more near misses through.
   */
  moderatorQuestions: Paraphrase[];
  problems: Problem[];
}

const HEADER = "class\tsubtype\ttext";
/** The share of training rows held out as the dev fold, in hundredths. */
const DEV_PERCENT = 20;
export const FACTUAL_SUBTYPE = "factual";

/** The same message however it is spaced or cased: duplicates across folds are leaks. */
export function rowKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** A stable fold for a training row: the same text is always in the same fold. */
export function isDev(text: string): boolean {
  return Number.parseInt(sha256(rowKey(text)).slice(0, 8), 16) % 100 < DEV_PERCENT;
}

function readTsv(path: string, display: string, taxonomy: Taxonomy | undefined, problems: Problem[]): LabelledRow[] {
  const rows: LabelledRow[] = [];
  const lines = readFileSync(path, "utf8").split(/\r?\n/);
  if (lines[0] !== HEADER) problems.push({ file: display, field: "line 1", message: `must be the header '${HEADER}'` });
  lines.forEach((raw, i) => {
    if (i === 0 || raw.trim() === "") return;
    const line = i + 1;
    const cells = raw.split("\t");
    if (cells.length !== 3) {
      problems.push({
        file: display,
        field: `line ${line}`,
        message: `needs 3 tab-separated cells, has ${cells.length}`,
      });
      return;
    }
    const parsed = CorpusRowSchema.safeParse({ class: cells[0], subtype: cells[1], text: cells[2] });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ file: display, field: `line ${line}: ${issue.path.join(".")}`, message: issue.message });
      }
      return;
    }
    const row = parsed.data;
    if (taxonomy && !(row.subtype in (taxonomy.classes[row.class]?.subtypes ?? {}))) {
      problems.push({
        file: display,
        field: `line ${line}: subtype`,
        message: `'${row.subtype}' is not a subtype of '${row.class}' in ${SAFETY_MODEL.taxonomy}`,
      });
      return;
    }
    rows.push({ ...row, file: display, line });
  });
  return rows;
}

function readFolder(dir: string, folder: string, taxonomy: Taxonomy | undefined, problems: Problem[]): LabelledRow[] {
  const path = join(dir, SAFETY_MODEL.corpus, folder);
  if (!existsSync(path)) return [];
  return readdirSync(path)
    .filter((f) => f.endsWith(".tsv"))
    .sort()
    .flatMap((f) => readTsv(join(path, f), relative(dir, join(path, f)), taxonomy, problems));
}

const PARAPHRASE_HEADER = "fact\tquestion";
/** In a paraphrase file, `-` for a question no fact answers: the fact classifier learns where the base ends. */
export const NO_FACT_MARK = "-";

function readParaphrases(dir: string, facts: Fact[], problems: Problem[]): Paraphrase[] {
  const root = join(dir, "paraphrases");
  const ids = new Set(facts.map((f) => f.id));
  const out: Paraphrase[] = [];
  for (const folder of [root, join(root, FACTS_ONLY_FOLDER)]) {
    if (!existsSync(folder)) continue;
    const factsOnly = folder !== root;
    for (const name of readdirSync(folder)
      .filter((f) => f.endsWith(".tsv"))
      .sort()) {
      const file = relative(dir, join(folder, name));
      const lines = readFileSync(join(folder, name), "utf8").split(/\r?\n/);
      if (lines[0] !== PARAPHRASE_HEADER)
        problems.push({ file, field: "line 1", message: `must be the header '${PARAPHRASE_HEADER}'` });
      lines.forEach((raw, i) => {
        if (i === 0 || raw.trim() === "") return;
        const [fact = "", text = "", ...rest] = raw.split("\t");
        const field = `line ${i + 1}`;
        if (rest.length > 0 || !text.trim())
          problems.push({ file, field, message: "needs 2 tab-separated cells: fact and question" });
        else if (facts.length > 0 && fact !== NO_FACT_MARK && !ids.has(fact))
          problems.push({ file, field: `${field}: fact`, message: `no fact with id '${fact}'` });
        else out.push({ fact, text: text.trim(), file, line: i + 1, factsOnly });
      });
    }
  }
  return out;
}

/**
 * The safety class a fact's questions teach: a moderation fact's questions are moderators asking what
 * to do (the moderator route serves those very facts); every other fact's are learning questions.
 * Taught as learning questions, "an adult in our server is DMing teens, what do mods do" read as
 * benign at p = 1.00 against the corpus's moderator rows.
 */
export function classOfFact(fact: Fact | undefined): "moderator" | "benign" {
  return fact?.tags[0] === MODERATION_TAG ? "moderator" : "benign";
}

/** Load the taxonomy and every corpus file; problems name the file, the line and the field. */
export function loadCorpus(dir: string, facts: Fact[] = []): Corpus {
  const loader = new KnowledgeLoader(dir);
  const taxonomy = loader.readYaml(join(dir, SAFETY_MODEL.taxonomy), TaxonomySchema);
  const problems = loader.problems;
  const labelled = readFolder(dir, "train", taxonomy, problems);
  const devBatches = readFolder(dir, "dev", taxonomy, problems);
  const test = readFolder(dir, "test", taxonomy, problems);
  const gate = readFolder(dir, "gate", taxonomy, problems);

  // A message in two places is either a contradiction (two classes) or a leak (train and test).
  const seen = new Map<string, LabelledRow>();
  // test first: a training or dev row that repeats a test row is the one reported
  for (const row of [...test, ...devBatches, ...labelled, ...gate]) {
    const key = rowKey(row.text);
    const first = seen.get(key);
    if (first) {
      problems.push({
        file: row.file,
        field: `line ${row.line}: text`,
        message: `the same message is at ${first.file} line ${first.line}`,
      });
    } else seen.set(key, row);
  }
  const factual: LabelledRow[] = facts.flatMap((f) =>
    f.questions.map((q, i) => ({
      class: classOfFact(f),
      subtype: FACTUAL_SUBTYPE,
      text: q,
      file: `facts:${f.id}`,
      line: i + 1,
    })),
  );
  // The facts' own questions are all learned from (none held out): they must never raise an alarm.
  const ownQuestions = factual.filter((r) => !seen.has(rowKey(r.text)));
  for (const r of ownQuestions) seen.set(rowKey(r.text), r);
  const paraphrases = readParaphrases(dir, facts, problems);
  // A paraphrase of a fact is a learning question too; one that repeats a corpus row is left to that row.
  const byId = new Map(facts.map((f) => [f.id, f]));
  const paraphrased: LabelledRow[] = paraphrases
    .filter((p) => p.fact !== NO_FACT_MARK && !p.factsOnly && !seen.has(rowKey(p.text)))
    .map((p) => ({
      class: classOfFact(byId.get(p.fact)),
      subtype: FACTUAL_SUBTYPE,
      text: p.text,
      file: p.file,
      line: p.line,
    }));
  const moderatorQuestions = moderatorQuestionsOf(facts, [...labelled, ...gate], taxonomy, problems);
  return {
    taxonomy: taxonomy ?? { classes: {} as Taxonomy["classes"] },
    train: [...labelled.filter((r) => !isDev(r.text)), ...ownQuestions, ...paraphrased],
    paraphrases,
    dev: [...labelled.filter((r) => isDev(r.text)), ...devBatches],
    test,
    gate,
    moderatorQuestions,
    problems,
  };
}

/** Corpus.moderatorQuestions; a subtype the taxonomy does not have, or that two facts claim, is a problem. */
function moderatorQuestionsOf(
  facts: Fact[],
  rows: LabelledRow[],
  taxonomy: Taxonomy | undefined,
  problems: Problem[],
): Paraphrase[] {
  const subtypes = taxonomy?.classes.moderator?.subtypes ?? {};
  const factOf = new Map<string, string>();
  const field = "moderator_subtypes";
  for (const f of facts) {
    for (const subtype of f.moderator_subtypes) {
      if (!(subtype in subtypes))
        problems.push({ file: `facts:${f.id}`, field, message: `'${subtype}' is not a moderator subtype` });
      else if (factOf.has(subtype))
        problems.push({ file: `facts:${f.id}`, field, message: `'${subtype}' is claimed by ${factOf.get(subtype)}` });
      else factOf.set(subtype, f.id);
    }
  }
  return rows.flatMap((r) => {
    const fact = r.class === "moderator" && !isDev(r.text) ? factOf.get(r.subtype) : undefined;
    return fact ? [{ fact, text: r.text, file: r.file, line: r.line, factsOnly: true }] : [];
  });
}
