/**
 * The moderation fit (engine/moderation-fit.ts): a message the route and the gate send to moderators
 * whose moderation fact does not answer it at all ("do we need parental consent under COPPA for our
 * minecraft server") gets no moderation fact; moderators' own accounts of an incident keep their
 * guidance. Measured on rows it did not learn: the dev share of corpus/gate/ and the safety corpus's
 * dev batches (its threshold was chosen on them; the frozen fold's moderator target is asserted in
 * safety-classifier.test.ts).
 */
import { describe, expect, it } from "vitest";
import { moderationFitLines, OTHER_MODERATION } from "../src/cli/train.js";
import { ANSWERS, DOES_NOT } from "../src/engine/answer-check.js";
import { DEFAULT_THRESHOLDS, Engine } from "../src/engine/engine.js";
import { ModerationFit } from "../src/engine/moderation-fit.js";
import { isDev, loadCorpus, NO_FACT_MARK } from "../src/knowledge/corpus.js";
import { shippedKnowledgeDir } from "../src/knowledge/load.js";
import { MODERATION_TAG } from "../src/knowledge/schema.js";
import { shippedEngine, shippedKnowledge } from "./helpers.js";

const knowledge = shippedKnowledge();
const corpus = loadCorpus(shippedKnowledgeDir(), knowledge.facts);
const moderation = new Set(knowledge.facts.filter((f) => f.tags[0] === MODERATION_TAG).map((f) => f.id));

describe("the moderation fit's data", () => {
  const rules = new Engine(knowledge);
  const firstModerationFact = [...moderation][0] ?? null;
  const count = (lines: string[], label: string) => lines.filter((l) => l.startsWith(`__label__${label} `)).length;

  it("says yes for moderators' messages with their fact, no for other matters with the fact picked, nothing of the dev share", () => {
    const lines = moderationFitLines(
      rules,
      knowledge.facts,
      corpus,
      () => firstModerationFact,
      () => false,
    );
    const yes = [...corpus.moderatorQuestions, ...corpus.paraphrases.filter((p) => moderation.has(p.fact))].filter(
      (p) => !isDev(p.text),
    );
    const other = corpus.gate.filter((r) => r.subtype === OTHER_MODERATION && !isDev(r.text));
    expect(yes.length).toBeGreaterThan(2000);
    // a message whose words give no features makes no line
    expect(count(lines, ANSWERS)).toBeGreaterThan(0.95 * yes.length);
    expect(count(lines, ANSWERS)).toBeLessThanOrEqual(yes.length);
    expect(count(lines, DOES_NOT)).toBeGreaterThan(0.95 * other.length);
    expect(count(lines, DOES_NOT)).toBeLessThanOrEqual(other.length);
  });

  it("adds the questions no fact answers that the route sends to moderators, and none when the picker has no fact", () => {
    const noFact = corpus.paraphrases.filter((p) => p.fact === NO_FACT_MARK && !isDev(p.text));
    const without = moderationFitLines(
      rules,
      knowledge.facts,
      corpus,
      () => firstModerationFact,
      () => false,
    );
    const withAll = moderationFitLines(
      rules,
      knowledge.facts,
      corpus,
      () => firstModerationFact,
      () => true,
    );
    expect(count(withAll, DOES_NOT) - count(without, DOES_NOT)).toBeGreaterThan(0.95 * noFact.length);
    expect(count(withAll, ANSWERS)).toBe(count(without, ANSWERS));
    const unpicked = moderationFitLines(
      rules,
      knowledge.facts,
      corpus,
      () => null,
      () => true,
    );
    expect(count(unpicked, DOES_NOT)).toBe(0);
  });
});

describe("the moderation fit", async () => {
  const bot = await shippedEngine({ region: "US" });
  const unfitted = await shippedEngine({ region: "US", thresholds: { ...DEFAULT_THRESHOLDS, moderatorFit: 0 } });
  const throughGate = (text: string) => unfitted.answer(text).safety === "moderator";

  it("without a model, says every fact fits", () => {
    expect(new ModerationFit().fits("hreport mserver")).toBe(1);
    expect(new ModerationFit().fits(null)).toBe(1);
  });

  it("keeps the guidance for at least 99.5% of the dev batches' moderators the gate lets through, and for corpus/gate/'s held-out ones", () => {
    const moderators = corpus.dev.filter(
      (r) => r.file.includes("/dev/") && r.class === "moderator" && throughGate(r.text),
    );
    expect(moderators.length).toBeGreaterThan(300);
    const kept = moderators.filter((r) => bot.answer(r.text).safety === "moderator");
    expect(kept.length).toBeGreaterThanOrEqual(0.995 * moderators.length);
    const gateModerators = corpus.gate.filter((r) => isDev(r.text) && r.class === "moderator" && throughGate(r.text));
    expect(gateModerators.length).toBeGreaterThan(100);
    expect(gateModerators.filter((r) => bot.answer(r.text).safety !== "moderator")).toEqual([]);
  });

  it("withholds a quarter or more of corpus/gate/'s held-out questions about other matters that get past the gate, with no moderation fact", () => {
    const other = corpus.gate.filter((r) => isDev(r.text) && r.class !== "moderator" && throughGate(r.text));
    expect(other.length).toBeGreaterThan(20);
    const withheld = other.filter((r) => bot.answer(r.text).safety !== "moderator");
    console.log(
      `Moderation fit: ${withheld.length} of ${other.length} held-out other-matter questions past the gate withheld`,
    );
    expect(withheld.length).toBeGreaterThanOrEqual(0.25 * other.length);
    for (const r of withheld) {
      const reply = bot.answer(r.text);
      expect(reply.kind === "answer" && moderation.has(reply.factId ?? ""), r.text).toBe(false);
      expect(reply.resources.length + reply.suggestions.length, r.text).toBeGreaterThan(0);
    }
  });
});
