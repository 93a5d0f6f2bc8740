/**
 * Turns a question into the words the index compares. The same steps run on the facts when the index
 * is built, so "Paedophiles?", "pedophile" and "pedo" all become the same term.
 *
 *   text -> lower case, no diacritics -> tokens -> contractions, spelling -> typo correction  = plain
 *        -> synonyms (longest phrase first)                                                   = tokens
 *        -> without fillers, stemmed                                                          = terms
 */
import { stemmer } from "stemmer";
import type { Language } from "../knowledge/schema.js";
import type { Corrector } from "./corrector.js";

export interface Normalized {
  /** the words as written and cleaned, before typo correction, joined by single spaces */
  written: string;
  /** the same after typo correction (the safety router reads both) */
  plain: string;
  /** after synonyms */
  tokens: string[];
  /** the distinct stemmed content words that retrieval matches */
  terms: string[];
}

interface TrieNode {
  next: Map<string, TrieNode>;
  value?: string[];
}

const MAX_SYNONYM_DEPTH = 4;

export function splitWords(text: string): string[] {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .split(/[^a-z0-9']+/)
    .map((t) => t.replace(/^'+|'+$/g, ""))
    .filter((t) => t.length > 0);
}

export class Normalizer {
  private readonly contractions: Map<string, string[]>;
  private readonly spelling: Map<string, string>;
  private readonly fillers: Set<string>;
  private readonly synonyms: TrieNode = { next: new Map() };
  private readonly stems = new Map<string, string>();
  private corrector: Corrector | undefined;

  constructor(language: Language) {
    this.contractions = new Map(Object.entries(language.contractions).map(([k, v]) => [k, splitWords(v)]));
    this.spelling = new Map(Object.entries(language.spelling));
    this.fillers = new Set(language.fillers.flatMap((f) => this.clean(f)));
    const entries = Object.entries(language.synonyms).map(([k, v]) => [this.clean(k), this.clean(v)] as const);
    // Resolve chains at build time (kids -> children -> child) so matching is a single pass.
    const direct = new Map(entries.map(([k, v]) => [k.join(" "), v]));
    const resolve = (words: string[], depth: number): string[] =>
      depth >= MAX_SYNONYM_DEPTH
        ? words
        : words.flatMap((w) => {
            const next = direct.get(w);
            return next && next.join(" ") !== w ? resolve(next, depth + 1) : [w];
          });
    for (const [key, value] of entries) {
      if (key.length === 0) continue;
      let node = this.synonyms;
      for (const word of key) {
        let child = node.next.get(word);
        if (!child) {
          child = { next: new Map() };
          node.next.set(word, child);
        }
        node = child;
      }
      node.value = resolve(value, 0);
    }
  }

  /** Words after contractions and spelling, without typo correction (used to build vocabularies). */
  clean(text: string): string[] {
    const out: string[] = [];
    for (const raw of splitWords(text)) {
      const expanded = this.contractions.get(raw) ?? this.contractions.get(raw.replace(/'/g, "")) ?? [raw];
      for (let word of expanded) {
        word = word.replace(/'s$/, "").replace(/'/g, "");
        if (!word) continue;
        out.push(this.spelling.get(word) ?? word);
      }
    }
    return out;
  }

  /** Typo correction against a vocabulary; set once the vocabulary is known. */
  useCorrector(corrector: Corrector): void {
    this.corrector = corrector;
  }

  stem(word: string): string {
    let s = this.stems.get(word);
    if (s === undefined) {
      s = /^\d+$/.test(word) ? word : stemmer(word);
      if (this.stems.size > 50_000) this.stems.clear();
      this.stems.set(word, s);
    }
    return s;
  }

  applySynonyms(words: string[]): string[] {
    const out: string[] = [];
    let i = 0;
    while (i < words.length) {
      let node: TrieNode | undefined = this.synonyms;
      let matchEnd = -1;
      let matchValue: string[] | undefined;
      for (let j = i; j < words.length && node; j++) {
        node = node.next.get(words[j] as string);
        if (node?.value) {
          matchEnd = j + 1;
          matchValue = node.value;
        }
      }
      if (matchValue) {
        out.push(...matchValue);
        i = matchEnd;
      } else {
        out.push(words[i] as string);
        i++;
      }
    }
    return out;
  }

  /** Content words, stemmed and distinct, in order. */
  toTerms(tokens: string[]): string[] {
    const seen = new Set<string>();
    for (const t of tokens) if (!this.fillers.has(t)) seen.add(this.stem(t));
    return [...seen];
  }

  normalize(text: string): Normalized {
    const written = this.clean(text);
    const corrector = this.corrector;
    const words = corrector ? written.map((w) => corrector.correct(w)) : written;
    const tokens = this.applySynonyms(words);
    return { written: written.join(" "), plain: words.join(" "), tokens, terms: this.toTerms(tokens) };
  }
}
