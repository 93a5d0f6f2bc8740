/**
 * How `npm run train` chooses the decision thresholds on the dev fold: the lowest total cost, a class's
 * threshold searched together with its check-in threshold, within the budgets for learning questions
 * and the recall floors for the dev batches' danger classes.
 */
import { describe, expect, it } from "vitest";
import { chooseThresholds, type DevRow } from "../src/cli/train.js";
import { type Probabilities, zeroProbabilities } from "../src/engine/safety/classifier.js";
import type { SafetyClass } from "../src/knowledge/schema.js";

function row(label: SafetyClass, p: Partial<Probabilities>, learning = false, batch = false): DevRow {
  const probs = { ...zeroProbabilities(), ...p };
  const rest = 1 - Object.values(probs).reduce((a, b) => a + b, 0);
  if (label === "benign" || label === "offtopic") probs[label] += Math.max(0, rest);
  return { label, learning, batch, route: null, probs };
}

const repeat = (n: number, make: (i: number) => DevRow) => Array.from({ length: n }, (_, i) => make(i));

describe("chooseThresholds", () => {
  it("puts each class's threshold between its own messages and the learners' and keeps each check-in threshold at or below its class's", () => {
    const rows = [
      // urgent messages the model rates 0.3-0.45; learners at most 0.1
      ...repeat(100, (i) => row("urgent", { urgent: 0.3 + (i % 4) * 0.05 })),
      ...repeat(100, (i) => row("refusal", { refusal: 0.6 + (i % 4) * 0.05 })),
      ...repeat(300, (i) => row("benign", { urgent: (i % 3) * 0.05, refusal: (i % 5) * 0.05 }, true)),
      ...repeat(100, () => row("offtopic", {}, true)),
    ];
    const t = chooseThresholds(rows, new Set());
    expect(t.urgent).toBeGreaterThan(0.1);
    expect(t.urgent).toBeLessThanOrEqual(0.3);
    expect(t.refusal).toBeGreaterThan(0.2);
    expect(t.refusal).toBeLessThanOrEqual(0.6);
    expect(t.care_urgent).toBeLessThanOrEqual(t.urgent);
    expect(t.care_refusal).toBeLessThanOrEqual(t.refusal);
  });

  it("alarms no more than 2% of the dev batches' learning and off-topic messages, whatever a class's recall would gain", () => {
    const rows = [
      // urgent messages spread over 0.05-0.95; off-topic messages (in the budget) at 0.2-0.4
      ...repeat(200, (i) => row("urgent", { urgent: 0.05 + (i % 19) * 0.05 })),
      ...repeat(400, () => row("benign", {}, true)),
      ...repeat(100, (i) => row("offtopic", { urgent: 0.2 + (i % 5) * 0.05 }, true)),
    ];
    const t = chooseThresholds(rows, new Set());
    const alarmed = rows.filter((r) => r.learning && r.probs.urgent >= t.urgent).length;
    expect(alarmed / 500).toBeLessThanOrEqual(0.02);
    // and no higher than it must be: the budget binds just above the off-topic messages
    expect(t.urgent).toBeGreaterThan(0.35);
    expect(t.urgent).toBeLessThanOrEqual(0.5);
  });

  it("keeps a danger class's recall on the dev batches at its floor (refusal 97%), though the costs alone would trade it", () => {
    // 10 of 200 refusals the model rates 0.66, like 15 of 1,000 learners (within the alarm budget):
    // refusing those learners costs more than checking in on those refusals
    const rows = (batch: boolean) => [
      ...repeat(200, (i) => row("refusal", { refusal: i < 10 ? 0.66 : 0.9 }, false, batch)),
      ...repeat(1000, (i) => row("benign", { refusal: i < 15 ? 0.66 : 0 }, true, batch)),
    ];
    const floored = chooseThresholds(rows(true), new Set());
    expect(floored.refusal).toBeLessThanOrEqual(0.65);
    const refused = rows(true).filter((r) => r.label === "refusal" && r.probs.refusal >= floored.refusal).length;
    expect(refused / 200).toBeGreaterThanOrEqual(0.97);
    // rows outside the dev batches have no floor: the costs choose
    expect(chooseThresholds(rows(false), new Set()).refusal).toBeGreaterThan(0.66);
  });
});
