/**
 * The retrieval core: an inverted index from stemmed terms to facts and to their alternate questions.
 * A query touches only the postings of its own terms, so the cost grows with how common its words
 * are, not with the number of facts.
 *
 * A fact's score blends two views of the same evidence:
 *   coverage  how much of the question (weighted by rarity, idf) the fact explains in any field;
 *             words the base has never seen count against it, so an off-topic question that shares
 *             one word with a fact stays low;
 *   phrasing  how closely the question matches one of the fact's alternate questions (idf cosine).
 */
export interface IndexedFact {
  /** title, alternate questions, keywords, glossary terms: terms found here count in full */
  strong: string[][];
  /** the answer text: terms found only here count partly */
  weak: string[];
  /** each alternate question, as terms */
  questions: string[][];
}

export interface Scored {
  fact: number;
  score: number;
  coverage: number;
  phrasing: number;
}

export interface ScoringWeights {
  /** share of coverage in the score; the rest is phrasing */
  coverageShare: number;
  /** weight of a term found only in the answer text, relative to one in a strong field */
  answerOnly: number;
  /** weight of a word the base has never seen, relative to the rarest known term */
  unknownWord: number;
  /** the same, when the question is plainly about the subject (it names a topic word): extra words in a
   *  question about CSEC are usually chat ("for my training slides"), not a different subject */
  unknownWordOnTopic: number;
  /** phrasing compares a question with an alternate question: 0.5 is the cosine; lower values care
   *  less about the question's extra words, so a long message that contains a known question still
   *  matches it */
  phrasingQueryShare: number;
}

export const DEFAULT_WEIGHTS: ScoringWeights = {
  coverageShare: 0.7,
  answerOnly: 0.2,
  unknownWord: 1,
  unknownWordOnTopic: 0.3,
  phrasingQueryShare: 0.3,
};

const STRONG = 1;
const WEAK = 2;

export class FactIndex {
  /** term -> [fact, fieldMask, fact, fieldMask, ...] */
  private readonly factPostings = new Map<string, number[]>();
  /** term -> question ids */
  private readonly questionPostings = new Map<string, number[]>();
  private readonly questionFact: number[] = [];
  private readonly questionNorm: number[] = [];
  private readonly idf = new Map<string, number>();
  private readonly maxIdf: number;
  readonly size: number;
  /** a term in more facts than this is "very common" (see search) */
  private readonly commonDf: number;
  // scratch space reused between queries (the engine answers one question at a time)
  private readonly factCoverage: Float64Array;
  private readonly factPhrasing: Float64Array;
  private readonly questionDot: Float64Array;

  constructor(
    facts: IndexedFact[],
    readonly weights: ScoringWeights = DEFAULT_WEIGHTS,
  ) {
    this.size = facts.length;
    this.commonDf = Math.max(500, facts.length / 10);
    facts.forEach((fact, f) => {
      const fields = new Map<string, number>();
      for (const list of fact.strong) for (const t of list) fields.set(t, (fields.get(t) ?? 0) | STRONG);
      for (const t of fact.weak) fields.set(t, (fields.get(t) ?? 0) | WEAK);
      for (const [t, mask] of fields) {
        let p = this.factPostings.get(t);
        if (!p) {
          p = [];
          this.factPostings.set(t, p);
        }
        p.push(f, mask);
      }
    });
    const n = facts.length;
    let maxIdf = 0;
    for (const [t, p] of this.factPostings) {
      const df = p.length / 2;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      this.idf.set(t, idf);
      if (idf > maxIdf) maxIdf = idf;
    }
    this.maxIdf = maxIdf || 1;
    facts.forEach((fact, f) => {
      for (const q of fact.questions) {
        const id = this.questionFact.length;
        this.questionFact.push(f);
        let norm = 0;
        for (const t of new Set(q)) {
          const w = this.idf.get(t) ?? 0;
          norm += w * w;
          let p = this.questionPostings.get(t);
          if (!p) {
            p = [];
            this.questionPostings.set(t, p);
          }
          p.push(id);
        }
        this.questionNorm.push(Math.sqrt(norm) || 1);
      }
    });
    this.factCoverage = new Float64Array(n);
    this.factPhrasing = new Float64Array(n);
    this.questionDot = new Float64Array(this.questionFact.length);
  }

  termWeight(term: string, onTopic = false): number {
    const unknown = onTopic ? this.weights.unknownWordOnTopic : this.weights.unknownWord;
    return this.idf.get(term) ?? this.maxIdf * unknown;
  }

  /** The best facts for these terms, best first, at most `limit`. */
  search(terms: string[], limit = 5, onTopic = false): Scored[] {
    if (terms.length === 0) return [];
    const { coverageShare, answerOnly, phrasingQueryShare: lambda } = this.weights;
    let total = 0;
    let totalSq = 0;
    for (const t of terms) {
      const w = this.termWeight(t, onTopic);
      total += w;
      totalSq += w * w;
    }
    const queryNorm = Math.sqrt(totalSq);
    const touchedFacts: number[] = [];
    const touchedQuestions: number[] = [];

    // Rarest terms first. A very common term (in thousands of facts of a large base) only adds to the
    // facts the rarer terms found: alone it could not lift a fact to the top, and walking its whole
    // posting list into the candidates is what would make a large base slow.
    const known = terms.filter((t) => this.idf.has(t)).sort((a, b) => (this.idf.get(b) ?? 0) - (this.idf.get(a) ?? 0));
    for (const t of known) {
      const w = this.idf.get(t) as number;
      const postings = this.factPostings.get(t) as number[];
      const onlyTouched = touchedFacts.length > 0 && postings.length / 2 > this.commonDf;
      for (let i = 0; i < postings.length; i += 2) {
        const f = postings[i] as number;
        if (this.factCoverage[f] === 0) {
          if (onlyTouched) continue;
          touchedFacts.push(f);
        }
        const gain = (postings[i + 1] as number) & STRONG ? w : w * answerOnly;
        this.factCoverage[f] = (this.factCoverage[f] as number) + gain;
      }
      for (const q of this.questionPostings.get(t) ?? []) {
        if (this.questionDot[q] === 0) {
          if (onlyTouched) continue;
          touchedQuestions.push(q);
        }
        this.questionDot[q] = (this.questionDot[q] as number) + w * w;
      }
    }
    for (const q of touchedQuestions) {
      const f = this.questionFact[q] as number;
      const qn = this.questionNorm[q] as number;
      const sim = Math.min(1, (this.questionDot[q] as number) / (queryNorm ** (2 * lambda) * qn ** (2 - 2 * lambda)));
      if (sim > (this.factPhrasing[f] as number)) this.factPhrasing[f] = sim;
      this.questionDot[q] = 0;
    }
    const results: Scored[] = [];
    for (const f of touchedFacts) {
      const coverage = (this.factCoverage[f] as number) / total;
      const phrasing = this.factPhrasing[f] as number;
      results.push({ fact: f, score: coverageShare * coverage + (1 - coverageShare) * phrasing, coverage, phrasing });
      this.factCoverage[f] = 0;
      this.factPhrasing[f] = 0;
    }
    results.sort((a, b) => b.score - a.score || a.fact - b.fact);
    return results.slice(0, limit);
  }
}
