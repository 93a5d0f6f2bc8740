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
import { ModerationFit, moderationFitFeatures } from "../src/engine/moderation-fit.js";
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

  it("adds the questions no fact or another fact answers that the route sends to moderators, and none when the picker has no fact", () => {
    const noFact = corpus.paraphrases.filter((p) => !moderation.has(p.fact) && !isDev(p.text));
    expect(noFact.filter((p) => p.fact !== NO_FACT_MARK).length).toBeGreaterThan(5000);
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
  const unfitted = await shippedEngine({
    region: "US",
    thresholds: { ...DEFAULT_THRESHOLDS, moderatorFit: 0, moderatorOtherFact: 0 },
  });
  const throughGate = (text: string) => unfitted.answer(text).safety === "moderator";

  it("without a model, says every fact fits", () => {
    expect(new ModerationFit().fits("hreport mserver")).toBe(1);
    expect(new ModerationFit().fits(null)).toBe(1);
  });

  // Round 10: the fit also reads the fact classifier's best other fact, and so withholds a moderator's
  // question that another fact answers better; two of corpus/gate/'s 255 held-out moderators lose
  // their guidance (a teen who already paid a sextortionist now gets "do not pay"), none before
  it("keeps the guidance for at least 99.5% of the dev batches' moderators the gate lets through, and for 99% of corpus/gate/'s held-out ones", () => {
    const moderators = corpus.dev.filter(
      (r) => r.file.includes("/dev/") && r.class === "moderator" && throughGate(r.text),
    );
    expect(moderators.length).toBeGreaterThan(300);
    const kept = moderators.filter((r) => bot.answer(r.text).safety === "moderator");
    expect(kept.length).toBeGreaterThanOrEqual(0.995 * moderators.length);
    const gateModerators = corpus.gate.filter((r) => isDev(r.text) && r.class === "moderator" && throughGate(r.text));
    expect(gateModerators.length).toBeGreaterThan(100);
    const gateKept = gateModerators.filter((r) => bot.answer(r.text).safety === "moderator");
    expect(gateKept.length).toBeGreaterThanOrEqual(0.99 * gateModerators.length);
  });

  it("gives a moderator's question that another fact answers that fact: most of the held-out moderator-voiced paraphrases the route sends to moderators", () => {
    // paraphrases/facts-only/part-o.tsv and part-p.tsv: moderators asking what the general facts
    // answer ("UK mod here, what is the IWF?"); their dev share was never learned by the fit
    const held = corpus.paraphrases.filter(
      (p) => /part-[op]\.tsv$/.test(p.file) && isDev(p.text) && throughGate(p.text) && !moderation.has(p.fact),
    );
    expect(held.length).toBeGreaterThan(10);
    const ownFact = held.filter((p) => bot.answer(p.text).factId === p.fact);
    const moderationFact = held.filter((p) => moderation.has(bot.answer(p.text).factId ?? ""));
    console.log(
      `Moderation fit: ${ownFact.length} of ${held.length} held-out moderator-voiced general questions get their fact, ${moderationFact.length} a moderation fact`,
    );
    expect(ownFact.length).toBeGreaterThanOrEqual(0.6 * held.length);
    expect(moderationFact.length).toBeLessThanOrEqual(0.2 * held.length);
  });

  it("gives another fact instead of the moderator reply only where the fit doubts and retrieval answers: at most one of the held-out moderators", async () => {
    const noSwitch = await shippedEngine({
      region: "US",
      thresholds: { ...DEFAULT_THRESHOLDS, moderatorOtherFact: 0 },
    });
    const held = [
      ...corpus.dev.filter((r) => r.file.includes("/dev/") && r.class === "moderator"),
      ...corpus.gate.filter((r) => isDev(r.text) && r.class === "moderator"),
    ];
    expect(held.length).toBeGreaterThan(600);
    const switched = held.filter(
      (r) => noSwitch.answer(r.text).safety === "moderator" && bot.answer(r.text).safety !== "moderator",
    );
    // none until round 11's retrained models; now one of the ~680 at every threshold from 0.5 to 0.8, a
    // moderator asking how to get a teen's nude taken down, given the fact on a young person's shared nude
    expect(switched.length, switched.map((r) => r.text).join(" | ")).toBeLessThanOrEqual(1);
    // a moderator-voiced question that a general fact answers, held out, gets that fact only with the switch
    const general = corpus.paraphrases.filter(
      (p) => /part-[op]\.tsv$/.test(p.file) && isDev(p.text) && !moderation.has(p.fact),
    );
    const own = (e: Engine) => general.filter((p) => e.answer(p.text).factId === p.fact).length;
    expect(own(bot)).toBeGreaterThan(own(noSwitch));
  });

  it("reads the best other fact: its probability and answer check in quarters, and whether the classifier put it first", () => {
    expect(moderationFitFeatures(null, { p: 0.9, answers: 0.5, first: true })).toBeNull();
    expect(moderationFitFeatures("hreport", null)).toBe("hreport gnone");
    expect(moderationFitFeatures("hreport", { p: 0.9, answers: 0.3, first: true })).toBe(
      "hreport gp4 ga1 gfirst gfirst4",
    );
    expect(moderationFitFeatures("hreport", { p: 0.4, answers: 1, first: false })).toBe(
      "hreport gp2 ga4 gnotfirst gnotfirst2",
    );
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
