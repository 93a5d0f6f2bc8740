/**
 * The full-rank linear model: it learns from fastText-style lines, the same lines and seed give the
 * same bytes, its file loads back to the same predictions, and in an ensemble it takes its share.
 */
import { describe, expect, it } from "vitest";
import { classifierText } from "../src/engine/safety/classifier.js";
import { EnsembleLabeller, loadFastText, trainFastTextViews, trainingLine } from "../src/engine/safety/fasttext.js";
import {
  isLinearModel,
  LINEAR_PARAMS,
  LinearLabeller,
  type LinearParams,
  linearFeatures,
  loadLinear,
  trainLinear,
} from "../src/engine/safety/linear.js";

const travel = ["what time is the bus", "when does the bus come", "is the bus late today", "bus timetable please"];
const food = ["how do i bake bread", "a recipe for soup", "what can i cook tonight", "easy dinner ideas"];
const lines = [...travel.map((t) => trainingLine("travel", t)), ...food.map((t) => trainingLine("food", t))];
// the shipped parameters, on a table small enough for eight lines and with more passes over them
const params: LinearParams = { ...LINEAR_PARAMS, bits: 12, epochs: 20 };

describe("the linear model", () => {
  it("learns the labels of its lines, probabilities summing to one", () => {
    const model = trainLinear(lines, params);
    for (const [text, label] of [
      ["when is the next bus", "travel"],
      ["soup recipe ideas", "food"],
    ] as const) {
      const out = model.labels(classifierText(text));
      expect(out[0]?.label).toBe(label);
      expect(out.reduce((s, l) => s + l.p, 0)).toBeCloseTo(1, 9);
      expect(out[0]?.p).toBeGreaterThan(0.5);
    }
    expect(model.labels(classifierText("bus"), 1)).toHaveLength(1);
  });

  it("is the same, byte for byte, for the same lines and seed; another seed changes it", async () => {
    const a = await trainLinear(lines, params).bytes();
    const b = await trainLinear(lines, params).bytes();
    const c = await trainLinear(lines, { ...params, seed: 2 }).bytes();
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it("loads back from its bytes with the same labels and nearly the same probabilities", async () => {
    const model = trainLinear(lines, params);
    const bytes = await model.bytes();
    expect(isLinearModel(bytes)).toBe(true);
    const loaded = loadLinear(bytes);
    for (const text of ["is the bus late", "bread for dinner", "something else entirely"]) {
      const before = model.labels(classifierText(text));
      const after = loaded.labels(classifierText(text));
      expect(after.map((l) => l.label)).toEqual(before.map((l) => l.label));
      for (const [i, l] of after.entries()) expect(l.p).toBeCloseTo(before[i]?.p ?? -1, 2);
    }
    expect(() => loadLinear(bytes.subarray(0, bytes.length - 4))).toThrow(/cut short/);
    expect(() => loadLinear(new Uint8Array([1, 2, 3]))).toThrow(/not a linear model/);
  });

  it("reads the rules' words whole, and words as words, word n-grams, pairs and character n-grams", () => {
    const mask = (1 << 20) - 1;
    const words = { minn: 3, maxn: 5, trigrams: 0, pairs: 0 };
    // "<ab>" gives 2 trigrams, 1 four-gram; "xrulekindurgent" gives no n-grams
    expect(linearFeatures("ab", mask, words)).toHaveLength(1 + 2 + 1);
    expect(linearFeatures("ab xrulekindurgent", mask, words)).toHaveLength(4 + 1 + 1);
    expect(new Set(linearFeatures("ab cd", mask, words)).size).toBe(linearFeatures("ab cd", mask, words).length);
    // three words: one word trigram and one pair (first and third word) more
    const three = linearFeatures("ab cd ef", mask, words).length;
    expect(linearFeatures("ab cd ef", mask, { ...words, trigrams: 1 })).toHaveLength(three + 1);
    expect(linearFeatures("ab cd ef", mask, { ...words, trigrams: 1, pairs: 1 })).toHaveLength(three + 2);
    // the pair is the same feature whatever the word between
    const shared = (pairs: number) => {
      const a = new Set(linearFeatures("pay a kid", mask, { ...words, pairs }));
      return linearFeatures("pay the kid", mask, { ...words, pairs }).filter((f) => a.has(f)).length;
    };
    expect(shared(1)).toBe(shared(0) + 1);
  });
});

describe("the linear model in an ensemble", () => {
  const ftParams = { loss: "softmax", epoch: 30, lr: 0.5, dim: 8, bucket: 1000, minCount: 1, seed: 1, verbose: 0 };

  it("takes its share of the weight beside the fastText views, and loads back packed", async () => {
    const views = [{ minn: 0, maxn: 0, wordNgrams: 1 }];
    const ensemble = (await trainFastTextViews(lines, ftParams, views, params)) as EnsembleLabeller;
    expect(ensemble.views).toHaveLength(2);
    expect(ensemble.views[1]).toBeInstanceOf(LinearLabeller);
    const text = classifierText("when is the next bus");
    const [ft, lin] = ensemble.views.map((v) => Object.fromEntries(v.labels(text).map((l) => [l.label, l.p])));
    for (const { label, p } of ensemble.labels(text)) {
      expect(p).toBeCloseTo(0.25 * (ft?.[label] ?? 0) + 0.75 * (lin?.[label] ?? 0), 6);
    }
    const loaded = await loadFastText(await ensemble.bytes());
    expect(loaded).toBeInstanceOf(EnsembleLabeller);
    const again = loaded.labels(text);
    expect(again.map((l) => l.label)).toEqual(ensemble.labels(text).map((l) => l.label));
    for (const [i, l] of again.entries()) expect(l.p).toBeCloseTo(ensemble.labels(text)[i]?.p ?? -1, 2);
  }, 30_000);
});
