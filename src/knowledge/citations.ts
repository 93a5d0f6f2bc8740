/**
 * Where a fact's words come from, as people recognise a source: the organisation, the page's title,
 * its year and its address. The notes under knowledge/sources/ open each section with a paragraph
 * "Cited sources: Org, "Title" (address), read DATE; ..."; a fact's citations are those of the section
 * its quote stands in. Parsing is forgiving: a part that is missing is left out, never invented.
 */
import type { Knowledge } from "./schema.js";

export interface Citation {
  publisher: string;
  title: string | null;
  year: string | null;
  link: string | null;
}

interface Section {
  /** where the section starts and ends in the squashed text */
  start: number;
  end: number;
  cited: Citation[];
}

/** Whitespace folded, as quotes are compared (factbot check does the same). */
export function squash(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Split on ";" outside parentheses and quotes. */
function splitEntries(paragraph: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = "";
  for (const ch of paragraph) {
    if (ch === '"') quoted = !quoted;
    else if (ch === "(" && !quoted) depth++;
    else if (ch === ")" && !quoted) depth = Math.max(0, depth - 1);
    if (ch === ";" && depth === 0 && !quoted) {
      out.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** an address as the notes write it: "https://site.org/page" or "site.org/page" */
const LINK = /(?:https?:\/\/)?((?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:\/[^\s,);]*)?)/i;
/** a year the source carries (not the date we read it) */
const YEAR = /\b(19\d{2}|20\d{2})\b/g;

export function parseCitation(entry: string): Citation | null {
  const text = entry.replace(/\.$/, "").trim();
  if (!text) return null;
  const title = /"([^"]+)"/.exec(text)?.[1] ?? null;
  const publisher = (title ? text.slice(0, text.indexOf(`"${title}"`)) : (text.split(/[,(]/)[0] ?? ""))
    .replace(/[,\s]+$/, "")
    .trim();
  const outsideTitle = title ? text.replace(`"${title}"`, "") : text;
  const link = LINK.exec(outsideTitle)?.[1]?.replace(/[.]$/, "") ?? null;
  const dated = text.replace(/read \d{4}-\d{2}-\d{2}/g, "").replace(link ?? "\u0000", "");
  const years = [...dated.matchAll(YEAR)].map((m) => m[1] as string);
  if (!publisher && !title) return null;
  return { publisher: publisher || (title ?? ""), title, year: years.at(-1) ?? null, link };
}

function sections(body: string): Section[] {
  const text = squash(body);
  const starts = [...text.matchAll(/(?:^| )## /g)].map((m) => m.index ?? 0);
  return starts.map((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const chunk = text.slice(start, end);
    const cited = /Cited sources[^:]*: (.*?)(?: - |$)/.exec(chunk)?.[1] ?? "";
    return {
      start,
      end,
      cited: splitEntries(cited)
        .map(parseCitation)
        .filter((c): c is Citation => c !== null),
    };
  });
}

/** A fact's citations, found through its quote; empty for a document without cited sections. */
export class Citations {
  private readonly byDocument = new Map<string, { text: string; sections: Section[] }>();

  constructor(knowledge: Pick<Knowledge, "sources">) {
    for (const [id, body] of knowledge.sources)
      this.byDocument.set(id, { text: squash(body), sections: sections(body) });
  }

  of(document: string, quote: string): Citation[] {
    const doc = this.byDocument.get(document);
    if (!doc) return [];
    const at = doc.text.indexOf(squash(quote));
    if (at < 0) return [];
    return doc.sections.find((s) => at >= s.start && at < s.end)?.cited ?? [];
  }
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []);
}

/**
 * A section's citations, the one most like the fact first (by the words its publisher and title share
 * with the fact's title, then its answer; ties keep the notes' order): "Take It Down" is cited to NCMEC's
 * Take It Down page before another page of the same section.
 */
export function rankCitations(cited: Citation[], title: string, answer: string): Citation[] {
  const named = words(title);
  const said = words(answer);
  // the fact's title says what it is about; its answer's words only break ties
  const score = (c: Citation) => {
    const own = [...words(`${c.publisher} ${c.title ?? ""}`)];
    return 3 * own.filter((w) => named.has(w)).length + own.filter((w) => said.has(w)).length;
  };
  return cited
    .map((c, i) => ({ c, i, score: score(c) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map((x) => x.c);
}
