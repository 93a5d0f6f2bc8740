/**
 * The classifier as an average of views: several fastText models packed into one file, loaded back
 * as one labeller whose probabilities are the mean of its views'.
 */
import { describe, expect, it } from "vitest";
import { factLines } from "../src/cli/train.js";
import {
  EnsembleLabeller,
  FastTextLabeller,
  loadFastText,
  packModels,
  trainFastText,
  trainFastTextViews,
  trainingLine,
  unpackModels,
} from "../src/engine/safety/fasttext.js";
import { yearsIn } from "../src/engine/years.js";

const lines = [
  ...["what time is the bus", "when does the bus come", "is the bus late today", "bus timetable please"].map((t) =>
    trainingLine("travel", t),
  ),
  ...["how do i bake bread", "a recipe for soup", "what can i cook tonight", "easy dinner ideas"].map((t) =>
    trainingLine("food", t),
  ),
];
const params = { loss: "softmax", epoch: 30, lr: 0.5, dim: 8, bucket: 1000, minCount: 1, seed: 1, verbose: 0 };
const views = [
  { minn: 0, maxn: 0, wordNgrams: 1 },
  { minn: 2, maxn: 4, wordNgrams: 1 },
];

describe("packed model files", () => {
  it("unpack to the same parts, and a plain file unpacks to itself", () => {
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array([]), new Uint8Array([9, 8])];
    expect(unpackModels(packModels(parts)).map((p) => [...p])).toEqual([[1, 2, 3], [], [9, 8]]);
    const plain = new Uint8Array([0xba, 0x16, 0x4f, 0x2f, 1, 2]);
    expect(unpackModels(plain)).toEqual([plain]);
  });

  it("refuse a pack that is cut short", () => {
    const packed = packModels([new Uint8Array(100)]);
    expect(() => unpackModels(packed.subarray(0, packed.length - 10))).toThrow(/cut short/);
  });
});

describe("an ensemble of views", () => {
  it("gives the mean of its views' probabilities, and loads back from its bytes unchanged", async () => {
    const ensemble = (await trainFastTextViews(lines, params, views)) as EnsembleLabeller;
    expect(ensemble).toBeInstanceOf(EnsembleLabeller);
    expect(ensemble.views).toHaveLength(2);
    const text = "when is the next bus";
    const [a, b] = ensemble.views.map((v) => Object.fromEntries(v.labels(text).map((l) => [l.label, l.p])));
    const mean = ensemble.labels(text);
    expect(mean[0]?.label).toBe("travel");
    for (const { label, p } of mean) expect(p).toBeCloseTo(((a?.[label] ?? 0) + (b?.[label] ?? 0)) / 2, 6);
    expect(ensemble.labels(text, 1)).toHaveLength(1);

    const loaded = await loadFastText(await ensemble.bytes());
    expect(loaded).toBeInstanceOf(EnsembleLabeller);
    expect(loaded.labels(text)).toEqual(mean);
  }, 30_000);

  it("is one plain model when there are no views", async () => {
    const one = await trainFastTextViews(lines, params, []);
    expect(one).toBeInstanceOf(FastTextLabeller);
    const bytes = await one.bytes();
    expect(unpackModels(bytes)).toEqual([bytes]);
    const same = await trainFastText(lines, params);
    expect([...(await same.bytes())]).toEqual([...bytes]);
  }, 30_000);
});

describe("the fact classifier's training lines", () => {
  it("leave out the 'no fact' questions that name a year (the engine's year check answers those)", () => {
    const lines = factLines(
      [],
      [],
      [
        { fact: "-", text: "how many reports were there in 2019", file: "p.tsv", line: 2, factsOnly: false },
        { fact: "-", text: "who funds the hotline", file: "p.tsv", line: 3, factsOnly: false },
        { fact: "reports-2023", text: "how many reports in 2023", file: "p.tsv", line: 4, factsOnly: false },
      ],
    );
    expect(lines).toHaveLength(2);
    expect(lines.some((l) => l.includes("2019"))).toBe(false);
    expect(lines.some((l) => l.startsWith("__label__reports-2023") && l.includes("2023"))).toBe(true);
    expect(lines.some((l) => l.startsWith("__label__none") && l.includes("funds"))).toBe(true);
    expect([...yearsIn("from 1999 to 2023, not 1850 or 12345")]).toEqual(["1999", "2023"]);
  });
});
