/**
 * Typo tolerance: a word that is not in the knowledge base's vocabulary is replaced by the closest word
 * that is. A letter-pair (bigram) index over the vocabulary finds the few words that could be within
 * reach (q-gram filtering: an edit breaks at most two letter pairs, a swap of two letters three), so a lookup touches a handful
 * of candidates rather than the whole vocabulary; fuse.js then ranks those candidates and an edit
 * distance decides, because fuse also scores substrings ("sex" inside "sexual") as perfect matches.
 */
import Fuse from "fuse.js";

const MIN_LENGTH = 4;
const CACHE_LIMIT = 5000;
const MAX_CANDIDATES = 24;

function bigrams(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length - 1; i++) out.push(word.slice(i, i + 2));
  return out;
}

/** Two neighbouring letters swapped ("mnay" for "many"): the same letters, so no other word is made. */
function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return (
    diff.length === 2 &&
    diff[1] === (diff[0] as number) + 1 &&
    a[diff[0] as number] === b[diff[1] as number] &&
    a[diff[1] as number] === b[diff[0] as number]
  );
}

/** Damerau-Levenshtein (optimal string alignment) distance, stopping early past `max`. */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prevPrev[j - 2] ?? 0) + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length] ?? max + 1;
}

/** How many edits a word of this length may be away from the word it is corrected to. */
function allowedEdits(length: number): number {
  if (length <= 7) return 1;
  if (length <= 11) return 2;
  return 3;
}

export class Corrector {
  private readonly words: string[];
  private readonly known: Set<string>;
  /** letter pair -> indexes of the vocabulary words that contain it */
  private readonly pairs = new Map<string, number[]>();
  private readonly cache = new Map<string, string | null>();
  private readonly overlap: Uint16Array;

  constructor(vocabulary: Iterable<string>) {
    this.known = new Set(vocabulary);
    this.words = [...this.known].filter((w) => w.length >= MIN_LENGTH - 1 && !/\d/.test(w));
    this.words.forEach((word, i) => {
      for (const pair of new Set(bigrams(word))) {
        let list = this.pairs.get(pair);
        if (!list) {
          list = [];
          this.pairs.set(pair, list);
        }
        list.push(i);
      }
    });
    this.overlap = new Uint16Array(this.words.length);
  }

  /** The vocabulary word this token most likely meant, or the token itself when none is close. */
  correct(token: string): string {
    if (token.length < MIN_LENGTH || this.known.has(token) || /\d/.test(token)) return token;
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached ?? token;
    const best = this.lookup(token);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(token, best);
    return best ?? token;
  }

  /** Words that share enough letter pairs with the token to be within `max` edits of it. */
  private candidates(token: string, max: number): string[] {
    const own = new Set(bigrams(token));
    const need = Math.max(1, token.length - 1 - 3 * max);
    const touched: number[] = [];
    for (const pair of own) {
      for (const i of this.pairs.get(pair) ?? []) {
        if (this.overlap[i] === 0) touched.push(i);
        this.overlap[i] = (this.overlap[i] as number) + 1;
      }
    }
    const found: { word: string; shared: number }[] = [];
    for (const i of touched) {
      const shared = this.overlap[i] as number;
      this.overlap[i] = 0;
      const word = this.words[i] as string;
      // same first letter: a changed first letter too often makes another real word
      if (shared >= need && word[0] === token[0] && Math.abs(word.length - token.length) <= max)
        found.push({ word, shared });
    }
    found.sort((a, b) => b.shared - a.shared);
    return found.slice(0, MAX_CANDIDATES).map((c) => c.word);
  }

  private lookup(token: string): string | null {
    const max = allowedEdits(token.length);
    const candidates = this.candidates(token, max);
    if (candidates.length === 0) return null;
    const fuse = new Fuse(candidates, {
      includeScore: true,
      threshold: 0.4,
      ignoreLocation: true,
      isCaseSensitive: true,
    });
    let best: string | null = null;
    let bestDistance = max + 1;
    for (const hit of fuse.search(token, { limit: 12 })) {
      // A four-letter word is corrected only by a missing or extra letter ("chid" -> "child") or two
      // swapped letters ("mnay"): a changed letter too often makes another real word ("rice", "rich").
      if (token.length === MIN_LENGTH && Math.abs(hit.item.length - token.length) !== 1 && !isSwap(token, hit.item))
        continue;
      const d = editDistance(token, hit.item, max);
      // ties go to the longer word: a dropped letter is a more common typo than an added one
      if (d < bestDistance || (d === bestDistance && best !== null && hit.item.length > best.length)) {
        best = hit.item;
        bestDistance = d;
      }
    }
    return bestDistance <= max ? best : null;
  }
}
