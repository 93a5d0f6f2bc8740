/**
 * The answer check ("does this fact answer what was asked?", engine/answer-check.ts): its features,
 * its training lines, and what it does to the engine's replies on the dev open sets (the sets its
 * threshold was chosen on; the held-out sets' figures are in open-set.test.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerCheckGuessLines, answerCheckLines } from "../src/cli/train.js";
import { ANSWERS, AnswerCheck, answerCheckFeatures, DOES_NOT, factWords } from "../src/engine/answer-check.js";
import { DEFAULT_THRESHOLDS } from "../src/engine/engine.js";
import { loadCorpus, NO_FACT_MARK } from "../src/knowledge/corpus.js";
import { shippedKnowledgeDir } from "../src/knowledge/load.js";
import { engine, shippedEngine, shippedKnowledge } from "./helpers.js";

const read = (name: string): [string, string][] =>
  readFileSync(join(import.meta.dirname, "eval", name), "utf8")
    .split("\n")
    .slice(1)
    .filter(Boolean)
    .map((line) => line.split("\t") as [string, string]);

describe("the answer check's features", () => {
  const fact = new Set(["iwf", "webpag", "girl", "2024"]);
  const known = (t: string) => fact.has(t) || t === "boi";

  it("marks each word of the question found or missing in the fact, also for that fact alone", () => {
    const words = answerCheckFeatures(["iwf", "boi", "webpag"], "iwf-2024", fact, known).split(" ");
    expect(words).toContain("hiwf");
    expect(words).toContain("hwebpag");
    expect(words).toContain("mboi");
    expect(words).toContain("iwf-2024:mboi");
    expect(words).not.toContain("hboi");
    expect(words).not.toContain("munknown");
    expect(words).toContain("nm1");
    expect(words).toContain("nh2");
  });

  it("reads any year as one word, found only when the fact names that year", () => {
    expect(answerCheckFeatures(["iwf", "2024"], "f", fact, known).split(" ")).toContain("hyyyy");
    expect(answerCheckFeatures(["iwf", "2019"], "f", fact, known).split(" ")).toContain("myyyy");
  });

  it("also names, for that fact alone, which of its years was asked", () => {
    expect(answerCheckFeatures(["iwf", "2024"], "f", fact, known).split(" ")).toContain("f:h2024");
    expect(answerCheckFeatures(["iwf", "2019"], "f", fact, known)).not.toMatch(/f:h2019|f:h2024/);
    // only years: other found words stay shared across facts
    expect(answerCheckFeatures(["iwf", "2024"], "f", fact, known)).not.toContain("f:hiwf");
  });

  it("notes a missing word that no fact has at all", () => {
    expect(answerCheckFeatures(["photodna"], "f", fact, known).split(" ")).toContain("munknown");
  });

  it("without a model, takes every fact to answer", () => {
    const k = shippedKnowledge();
    const words = (t: string) => t.split(" ");
    const check = new AnswerCheck(
      new Map(
        k.facts.map((f) => [
          f.id,
          factWords({ title: words(f.title), answer: words(f.answer), questions: f.questions.map(words) }),
        ]),
      ),
    );
    expect(check.answers(["anything", "at", "all"], k.facts[0]?.id ?? "")).toBe(1);
    expect(check.features(["a"], "no-such-fact")).toBeNull();
  });
});

describe("the answer check's training lines", () => {
  const dir = shippedKnowledgeDir();
  const k = shippedKnowledge();
  const corpus = loadCorpus(dir, k.facts);
  const lines = answerCheckLines(engine(), corpus.paraphrases);

  it("says yes for every paraphrase with its own fact, and no for questions no fact answers", () => {
    const yes = lines.filter((l) => l.startsWith(`__label__${ANSWERS} `)).length;
    const no = lines.filter((l) => l.startsWith(`__label__${DOES_NOT} `)).length;
    expect(yes).toBe(corpus.paraphrases.filter((p) => p.fact !== NO_FACT_MARK).length);
    // a "no fact" question the index finds nothing for has no fact to pair with
    const noFact = corpus.paraphrases.filter((p) => p.fact === NO_FACT_MARK).length;
    expect(no).toBeGreaterThan(0.9 * noFact);
    expect(no).toBeLessThanOrEqual(noFact);
  });

  it("adds a no for the fact classifier's choice, only for questions no fact answers and where the index chose another", () => {
    const bot = engine();
    const noFact = corpus.paraphrases.filter((p) => p.fact === NO_FACT_MARK);
    const other = k.facts[0]?.id ?? "";
    const guessed = answerCheckGuessLines(bot, corpus.paraphrases, () => other);
    const indexChoseIt = noFact.filter((p) => bot.retrieve(p.text, 1).facts[0]?.id === other).length;
    expect(guessed.length).toBe(noFact.length - indexChoseIt);
    expect(guessed.every((l) => l.startsWith(`__label__${DOES_NOT} `))).toBe(true);
    expect(guessed.every((l) => l.includes(` ${other}:m`) || !l.includes(":m"))).toBe(true);
    expect(answerCheckGuessLines(bot, corpus.paraphrases, () => undefined)).toEqual([]);
  });
});

describe("the answer check in the engine (dev open sets)", async () => {
  const checked = await shippedEngine({ region: "US" });
  const unchecked = await shippedEngine({ region: "US", thresholds: { ...DEFAULT_THRESHOLDS, answers: 0 } });
  const sets = ["", "-2", "-3", "-4"];
  const covered = sets.flatMap((s) => read(`dev-covered${s}.tsv`));
  const uncovered = sets.flatMap((s) => read(`dev-uncovered${s}.tsv`));

  // 1.5% until round 9's last retrain, which lost 14 of 888 (10 to 13 in the retrains before it)
  it("turns away at least 40% of the uncovered questions that would get a fact, and at most 1.6% of the right answers", () => {
    const given = uncovered.filter(([, q]) => unchecked.answer(q).kind === "answer");
    const stillGiven = given.filter(([, q]) => checked.answer(q).kind === "answer");
    const right = covered.filter(([id, q]) => unchecked.answer(q).factId === id);
    const lost = right.filter(([id, q]) => checked.answer(q).factId !== id);
    console.log(
      `Answer check on the dev open sets: uncovered given a fact ${given.length} -> ${stillGiven.length} of ${uncovered.length}; covered right ${right.length} -> ${right.length - lost.length} of ${covered.length}`,
    );
    expect(given.length).toBeGreaterThan(0);
    expect(stillGiven.length).toBeLessThanOrEqual(0.6 * given.length);
    expect(lost.length).toBeLessThanOrEqual(0.016 * right.length);
  });

  // A question the safety route reads as asking for lines ("can I report someone to the police") gets
  // the region's lines when the check turns its fact away; any other gets the fallback's nearest topics.
  it("answers a fact it turns away honestly: the nearest topics or the region's lines, never the question", () => {
    const turned = uncovered
      .map(([, q]) => ({ q, before: unchecked.answer(q), after: checked.answer(q) }))
      .filter(({ before, after }) => before.kind === "answer" && after.kind !== "answer");
    expect(turned.length).toBeGreaterThan(5);
    for (const { q, after } of turned) {
      expect(["fallback", "resources"], q).toContain(after.kind);
      if (after.kind === "fallback") expect(after.suggestions.length, q).toBeGreaterThan(0);
      expect(after.resources.length, q).toBeGreaterThan(0);
      expect(JSON.stringify(after).toLowerCase()).not.toContain(q.toLowerCase());
    }
  });
});
