/**
 * "Is the detail asked for in this fact at all?" A question can name a fact's organisation, law or
 * figure and still ask for something its answer does not give: the organisation's phone number, the
 * law's penalty, its founder, where it is. Such a question gets "I don't have that",
 * not the fact (like a question about another year than the fact's figures, years.ts). Each kind is a
 * plain test of the question's words and of the answer's text, kept only where it is certain enough:
 * measured on the dev open sets, a kind must turn away uncovered questions without costing covered ones.
 */
export interface DetailKind {
  /** what the question asks for */
  name: string;
  asks: RegExp;
  /** the answer gives this kind of detail */
  gives: RegExp;
}

export const DETAIL_KINDS: DetailKind[] = [
  {
    name: "phone number",
    asks: /\b(phone|telephone|hotline|helpline)\s+(number|no|numbr)\b/i,
    gives: /\d{2,}[\s-]?\d{2,}[\s-]?\d{2,}|\b(call|ring|text)\b[^.]*\b\d{3}\b/i,
  },
  {
    name: "penalty",
    // "sentence" alone is also a sentence of text ("explain it in one sentence")
    asks: /\b(penalty|penalties|sentencing|jail time|prison time|years in prison|(maximum|minimum|prison|jail) sentences?|punishment for)\b/i,
    gives: /\b(prison|imprisonment|jail|sentence|years|penalt(y|ies)|fine)\b/i,
  },
  {
    name: "who made it",
    // "who wrote the guidelines" is answered by "adopted by a working group": only founding, signing
    // and inventing, which an answer names with "by" or "founder"
    asks: /\bwho (signed|founded|invented)\b|\bfounders?\b/i,
    gives: /\b(signed|founded|invented|created|set up|developed|adopted) by\b|\bfounders?\b/i,
  },
  {
    name: "where it is",
    asks: /\bwhere (is|are)\b.*\b(located|based|headquartered)\b|\bheadquarters\b/i,
    gives: /\b(located|based|headquartered|headquarters)\b/i,
  },
];

/** The kinds of detail the question asks for that the answer does not give. */
export function missingDetails(question: string, answer: string): string[] {
  return DETAIL_KINDS.filter((k) => k.asks.test(question) && !k.gives.test(answer)).map((k) => k.name);
}
