/**
 * The moderation gate (engine/moderation-gate.ts): a moderator's question about other harms (slurs,
 * spam, raids) gets no child-protection moderation fact, while moderators' questions about children's
 * safety keep their guidance. Measured on rows it did not learn: the dev share of corpus/gate/ and the
 * safety corpus's dev batches (its threshold was chosen on them; the frozen fold's moderator target is
 * asserted in safety-classifier.test.ts).
 */
import { describe, expect, it } from "vitest";
import { moderationGateHardNegatives, moderationGateLines, OTHER_MODERATION } from "../src/cli/train.js";
import { DEFAULT_THRESHOLDS } from "../src/engine/engine.js";
import { GATE_CSEC, GATE_OTHER, ModerationGate } from "../src/engine/moderation-gate.js";
import { isDev, loadCorpus } from "../src/knowledge/corpus.js";
import { shippedKnowledgeDir } from "../src/knowledge/load.js";
import { MODERATION_TAG } from "../src/knowledge/schema.js";
import { shippedEngine, shippedKnowledge } from "./helpers.js";

const corpus = loadCorpus(shippedKnowledgeDir(), shippedKnowledge().facts);

describe("the moderation gate's data", () => {
  it("is valid corpus rows: moderators' questions about other harms and about children's safety", () => {
    expect(corpus.problems).toEqual([]);
    expect(corpus.gate.filter((r) => r.subtype === OTHER_MODERATION).length).toBeGreaterThanOrEqual(300);
    expect(corpus.gate.filter((r) => r.class === "moderator").length).toBeGreaterThanOrEqual(200);
    expect(corpus.gate.every((r) => r.class === "moderator" || r.subtype === OTHER_MODERATION)).toBe(true);
  });

  it("is not learned by the safety classifier, and its dev share is not learned by the gate", () => {
    const trained = new Set(corpus.train.map((r) => r.text));
    expect(corpus.gate.filter((r) => trained.has(r.text))).toEqual([]);
    const lines = moderationGateLines(corpus);
    const held = corpus.gate.filter((r) => isDev(r.text));
    expect(held.length).toBeGreaterThan(40);
    for (const r of held) expect(lines.some((l) => l.endsWith(r.text.toLowerCase()))).toBe(false);
    expect(lines.some((l) => l.startsWith(`__label__${GATE_CSEC} `))).toBe(true);
    expect(lines.some((l) => l.startsWith(`__label__${GATE_OTHER} `))).toBe(true);
  });

  it("adds, as other, the questions no fact answers that the route sends to moderators, never a dev one or a fact's", () => {
    const asked: string[] = [];
    // a stand-in route: every question that mentions a server goes to moderators
    const lines = moderationGateHardNegatives(corpus.paraphrases, (text) => {
      asked.push(text);
      return /\bserver\b/i.test(text);
    });
    const noFact = corpus.paraphrases.filter((p) => p.fact === "-");
    expect(asked.length).toBe(noFact.filter((p) => !isDev(p.text)).length);
    const expected = noFact.filter((p) => !isDev(p.text) && /\bserver\b/i.test(p.text));
    expect(expected.length).toBeGreaterThan(10);
    expect(lines.length).toBe(expected.length);
    expect(lines.every((l) => l.startsWith(`__label__${GATE_OTHER} `))).toBe(true);
    expect(moderationGateHardNegatives(corpus.paraphrases, () => false)).toEqual([]);
  });
});

describe("the moderation gate", async () => {
  const bot = await shippedEngine({ region: "US" });
  // the gate alone: neither it nor the moderation fit withholds anything
  const ungated = await shippedEngine({
    region: "US",
    thresholds: { ...DEFAULT_THRESHOLDS, moderationOther: 2, moderatorFit: 0, moderatorOtherFact: 0 },
  });
  const moderatorRoute = (text: string) => ungated.answer(text).safety === "moderator";
  const moderationFacts = new Set(
    bot
      .allFacts()
      .filter((f) => f.tags[0] === MODERATION_TAG)
      .map((f) => f.id),
  );

  it("without a model, withholds no moderator's guidance", () => {
    expect(new ModerationGate().other("how do I stop spam bots joining our server")).toBe(0);
  });

  it("turns away at least half of the held-out questions about other harms that the route sends to moderators", () => {
    const other = corpus.gate.filter((r) => isDev(r.text) && r.subtype === OTHER_MODERATION && moderatorRoute(r.text));
    const withheld = other.filter((r) => bot.answer(r.text).safety !== "moderator");
    console.log(`Moderation gate: ${withheld.length} of ${other.length} held-out other-harm questions withheld`);
    expect(other.length).toBeGreaterThan(20);
    expect(withheld.length).toBeGreaterThanOrEqual(0.5 * other.length);
    for (const r of withheld) {
      const reply = bot.answer(r.text);
      // retrieval decides instead, without the moderation facts
      expect(reply.safety, r.text).not.toBe("moderator");
      expect(reply.kind === "answer" && moderationFacts.has(reply.factId ?? ""), r.text).toBe(false);
      expect(reply.resources.length + reply.suggestions.length, r.text).toBeGreaterThan(0);
    }
  });

  // 99.5% in round 8; round 9's gate withholds 3 of 380 (engine.ts, the threshold's comment)
  it("keeps the guidance for at least 99% of the dev batches' moderators", () => {
    const moderators = corpus.dev.filter(
      (r) => r.file.includes("/dev/") && r.class === "moderator" && moderatorRoute(r.text),
    );
    const kept = moderators.filter((r) => bot.answer(r.text).safety === "moderator");
    expect(moderators.length).toBeGreaterThan(300);
    expect(kept.length).toBeGreaterThanOrEqual(0.99 * moderators.length);
  });
});
