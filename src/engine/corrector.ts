/**
 * Typo tolerance: a word that is not in the knowledge base's vocabulary is replaced by the closest word
 * that is. fuse.js proposes candidates from the vocabulary (never from the facts themselves), bucketed by
 * first letter so that a query scans a few hundred words, not every word; an edit distance then decides,
 * because fuse also scores substrings ("sex" inside "sexual") as perfect matches.
 */
import Fuse from "fuse.js";

const MIN_LENGTH = 4;
const CACHE_LIMIT = 5000;

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
  private readonly words: Set<string>;
  private readonly buckets = new Map<string, Fuse<string>>();
  private readonly cache = new Map<string, string | null>();

  constructor(vocabulary: Iterable<string>) {
    this.words = new Set(vocabulary);
    const byLetter = new Map<string, string[]>();
    for (const word of this.words) {
      if (word.length < MIN_LENGTH - 1 || /\d/.test(word)) continue;
      const letter = word[0] ?? "";
      const list = byLetter.get(letter) ?? [];
      list.push(word);
      byLetter.set(letter, list);
    }
    for (const [letter, list] of byLetter) {
      this.buckets.set(
        letter,
        new Fuse(list, { includeScore: true, threshold: 0.4, ignoreLocation: true, isCaseSensitive: true }),
      );
    }
  }

  has(word: string): boolean {
    return this.words.has(word);
  }

  /** The vocabulary word this token most likely meant, or the token itself when none is close. */
  correct(token: string): string {
    if (token.length < MIN_LENGTH || this.words.has(token) || /\d/.test(token)) return token;
    const cached = this.cache.get(token);
    if (cached !== undefined) return cached ?? token;
    const best = this.lookup(token);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(token, best);
    return best ?? token;
  }

  private lookup(token: string): string | null {
    const fuse = this.buckets.get(token[0] ?? "");
    if (!fuse) return null;
    const max = allowedEdits(token.length);
    let best: string | null = null;
    let bestDistance = max + 1;
    for (const hit of fuse.search(token, { limit: 12 })) {
      // A four-letter word is corrected only by a missing or extra letter ("chid" -> "child"): a changed
      // letter too often makes another real word ("rice" is not "rich").
      if (token.length === MIN_LENGTH && Math.abs(hit.item.length - token.length) !== 1) continue;
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
