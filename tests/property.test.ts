/**
 * Property tests: whatever people paste into chat, the engine returns a valid Reply and never repeats
 * the input's distinctive words back (no quoting, no mention injection, no laundering through the bot).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitWords } from "../src/engine/normalize.js";
import { ReplySchema } from "../src/engine/reply.js";
import { shippedEngine, shippedKnowledge } from "./helpers.js";

const bot = await shippedEngine({ region: "US" });

/** Every word the bot could ever say comes from the knowledge base. */
const botVocabulary = (() => {
  const words = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "string") for (const w of splitWords(v)) words.add(w);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v instanceof Map) [...v.values()].forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(shippedKnowledge());
  return words;
})();

const MENTIONS = [
  "<!channel>",
  "<!here>",
  "<!everyone>",
  "@everyone",
  "@here",
  "<@U012AB3CD>",
  "<@&123456789012345678>",
];

const distinctive = fc
  .stringMatching(/^[a-z]{6,12}$/)
  .filter((w) => !botVocabulary.has(w) && ![...botVocabulary].some((v) => v.includes(w)));

const chatText = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.constantFrom(...MENTIONS),
  fc.constantFrom("what is csec", "im 14 and a man pays me", "where can i buy cp", "helpline uk", "hi"),
);

function assertNoEcho(text: string, words: string[]): void {
  const lower = text.toLowerCase();
  for (const w of words) expect(lower).not.toContain(w);
  for (const m of MENTIONS) expect(text).not.toContain(m);
  expect(text).not.toMatch(/<[@#!]/);
}

describe("any input", () => {
  it("yields a valid Reply without throwing", () => {
    fc.assert(
      fc.property(fc.array(chatText, { maxLength: 6 }), (parts) => {
        const reply = bot.answer(parts.join(" "));
        expect(ReplySchema.safeParse(reply).success).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it("survives 10,000 characters of anything, including control characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 10_000, maxLength: 10_000 }), (s) => {
        expect(ReplySchema.safeParse(bot.answer(s)).success).toBe(true);
      }),
      { numRuns: 20 },
    );
    const control = Array.from({ length: 10_000 }, (_, i) => String.fromCharCode(i % 32)).join("");
    expect(ReplySchema.safeParse(bot.answer(control)).success).toBe(true);
  });

  it("never contains the input's distinctive words or mention syntax", () => {
    fc.assert(
      fc.property(fc.array(distinctive, { minLength: 1, maxLength: 4 }), chatText, chatText, (words, before, after) => {
        const reply = bot.answer(`${before} ${words.join(" ")} ${MENTIONS.join(" ")} ${after}`);
        assertNoEcho(reply.text, words);
        assertNoEcho(JSON.stringify(reply), words);
      }),
      { numRuns: 300 },
    );
  });

  it("never echoes, in any kind of reply (urgent, refusal, resources, answer, fallback)", () => {
    const templates = [
      "my 14 year old niece {w} told me a man pays her for sex",
      "where can i find child prostitutes in {w}",
      "helpline in the uk for {w}",
      "what does csec stand for {w}",
      "{w} {w}",
    ];
    fc.assert(
      fc.property(distinctive, fc.constantFrom(...templates), (w, template) => {
        const reply = bot.answer(template.replaceAll("{w}", `${w} <!channel>`));
        assertNoEcho(reply.text, [w]);
      }),
      { numRuns: 200 },
    );
  });
});
