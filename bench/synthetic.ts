/**
 * Generated knowledge bases for the benchmark: N facts over a made-up vocabulary of 20,000+ distinct
 * words with a Zipf-like frequency (a few common words, a long tail), so posting lists and the fuzzy
 * vocabulary look like a real, larger base. Language, safety and referral data are the shipped ones.
 */
import type { Fact, Knowledge } from "../src/knowledge/schema.js";

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same base. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ONSETS = [
  "b",
  "c",
  "d",
  "f",
  "g",
  "h",
  "j",
  "k",
  "l",
  "m",
  "n",
  "p",
  "r",
  "s",
  "t",
  "v",
  "w",
  "z",
  "br",
  "cl",
  "dr",
  "gr",
  "pl",
  "st",
  "tr",
  "sh",
  "ch",
  "th",
];
const VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"];
const CODAS = ["", "n", "r", "s", "t", "l", "m", "nd", "st", "ck"];

export function vocabulary(size: number, rnd: () => number): string[] {
  const words = new Set<string>();
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)] as T;
  while (words.size < size) {
    const syllables = 2 + Math.floor(rnd() * 3);
    let w = "";
    for (let i = 0; i < syllables; i++) w += pick(ONSETS) + pick(VOWELS) + (i === syllables - 1 ? pick(CODAS) : "");
    words.add(w);
  }
  return [...words];
}

export interface SyntheticBase {
  knowledge: Knowledge;
  /** questions a user might type for each fact: an alternate question with a typo and a dropped word */
  queries: { text: string; factId: string }[];
  distinctWords: number;
}

export function syntheticKnowledge(shipped: Knowledge, facts: number, seed = 42): SyntheticBase {
  const rnd = random(seed);
  const words = vocabulary(Math.max(20_000, facts * 3), rnd);
  // Zipf-like: low indexes are common words
  const word = () => words[Math.floor(words.length * rnd() ** 2.5)] as string;
  // each fact has a few words of its own, so it can be found
  const own = (i: number) => [words[(i * 2) % words.length], words[(i * 2 + 1) % words.length]] as string[];
  const sentence = (n: number, extra: string[]) => {
    const out = Array.from({ length: n }, word);
    for (const e of extra) out.splice(Math.floor(rnd() * (out.length + 1)), 0, e);
    return out.join(" ");
  };
  const list: Fact[] = [];
  const queries: SyntheticBase["queries"] = [];
  for (let i = 0; i < facts; i++) {
    const mine = own(i);
    const questions = Array.from(
      { length: 6 },
      () => `what ${sentence(4 + Math.floor(rnd() * 4), [mine[Math.floor(rnd() * 2)] as string])}`,
    );
    const answer = sentence(30, mine);
    list.push({
      id: `fact-${i}`,
      title: sentence(3, [mine[0] as string]),
      answer,
      questions,
      keywords: [...mine, word(), word()],
      source: { document: "synthetic", quote: answer.slice(0, 40) },
      related: i > 0 ? [`fact-${i - 1}`] : [],
      tags: [`tag${i % 12}`],
      moderator_subtypes: [],
    });
    const q = (questions[0] as string).split(" ").slice(0, -1);
    const target = q.findIndex((w) => w === mine[0] || w === mine[1]);
    const typoAt = target >= 0 ? target : 1;
    const w = q[typoAt] as string;
    if (w.length > 5) q[typoAt] = w.slice(0, 2) + (w[3] ?? "") + (w[2] ?? "") + w.slice(4); // swap two letters
    queries.push({ text: q.join(" "), factId: `fact-${i}` });
  }
  const distinctWords = new Set(list.flatMap((f) => `${f.title} ${f.answer} ${f.questions.join(" ")}`.split(" "))).size;
  return {
    knowledge: {
      ...shipped,
      documents: [{ id: "synthetic", file: "synthetic.txt", title: "Synthetic source" }],
      sources: new Map([["synthetic", list.map((f) => f.answer).join("\n")]]),
      facts: list,
      factFiles: new Map(list.map((f) => [f.id, "synthetic.yaml"])),
      glossary: [],
    },
    queries,
    distinctWords,
  };
}
