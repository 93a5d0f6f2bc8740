/**
 * Retrieval accuracy on the labelled factual set in tests/eval/. The table prints on every run so a
 * curator sees the effect of a change; the assertions are the targets from the issues. (The safety
 * figures are in safety-classifier.test.ts, on the corpus's frozen test fold.)
 */
import { describe, expect, it } from "vitest";
import { normalizedKey } from "../src/cli/check.js";
import { factualTable, runFactual } from "../testkit/evaluate.js";
import { shippedEngine, shippedKnowledge } from "./helpers.js";

// the bot as it runs: the safety rules and the trained classifier before retrieval
const bot = await shippedEngine({ region: "US" });

describe("retrieval accuracy on the labelled factual set", () => {
  const results = runFactual(bot);
  const factual = results.filter((r) => r.expected !== "off-topic");
  const offTopic = results.filter((r) => r.expected === "off-topic");

  it("has at least 150 varied questions, none copied from the facts' own alternate questions", () => {
    expect(results.length).toBeGreaterThanOrEqual(150);
    const categories = new Set(results.map((r) => r.category));
    for (const c of ["paraphrase", "typo", "slang", "short", "long", "spelling", "off-topic"])
      expect(categories).toContain(c);
    const own = new Set(shippedKnowledge().facts.flatMap((f) => f.questions.map(normalizedKey)));
    expect(results.filter((r) => own.has(normalizedKey(r.question))).map((r) => r.question)).toEqual([]);
  });

  it("seldom routes a factual or off-topic question to urgent or refusal (1%), or a check-in (2%)", () => {
    const alarmed = results.filter((r) => r.kind === "urgent" || r.kind === "refusal");
    const checked = results.filter((r) => r.kind === "check_in");
    if (alarmed.length + checked.length > 0) {
      console.log(
        `alarmed or checked in:\n${[...alarmed, ...checked].map((r) => `  ${r.question} -> ${r.kind}`).join("\n")}`,
      );
    }
    expect(alarmed.length / results.length).toBeLessThanOrEqual(0.01);
    expect(checked.length / results.length).toBeLessThanOrEqual(0.02);
  });

  // 95.2% before this base grew from 46 to 146 facts and retrieval learned to decline questions it
  // cannot tell apart (the open-set cross-check, chosen on tests/eval/dev-*.tsv: a question on another
  // subject now gets a fact 1.8% of the time instead of 16%). The README gives both figures.
  it("answers at least 83% of factual questions with the right fact, and at most 5% of off-topic ones", () => {
    console.log(`\nFactual set (${results.length} questions)\n${factualTable(results)}`);
    const misses = factual
      .filter((r) => !r.correct)
      .map((r) => `  ${r.question} -> ${r.kind} ${r.got ?? ""} (want ${r.expected})`);
    if (misses.length) console.log(`misses:\n${misses.join("\n")}`);
    const top1 = factual.filter((r) => r.correct).length / factual.length;
    const offAnswered = offTopic.filter((r) => r.kind === "answer").length / offTopic.length;
    expect(top1).toBeGreaterThanOrEqual(0.83);
    expect(offAnswered).toBeLessThanOrEqual(0.05);
  });
});
