/**
 * `factbot check` (beside the CLI because it runs the engine: the data layer imports nothing from it):
 * everything a curator can get wrong, found before the bot answers anyone.
 * Problems fail the check (exit 1); warnings are printed but pass (a stale phone number is a warning:
 * the entry may still be right, and a maintainer decides).
 */

import { Engine } from "../engine/engine.js";
import { Normalizer } from "../engine/normalize.js";
import { squash } from "../knowledge/citations.js";
import { KnowledgeError, KnowledgeLoader, type Problem } from "../knowledge/load.js";
import type { Knowledge } from "../knowledge/schema.js";

export interface CheckReport {
  problems: Problem[];
  warnings: Problem[];
  facts: number;
  questions: number;
  services: number;
}

const STALE_MONTHS = 12;

/** How two questions are compared for sameness: case, punctuation and spacing ignored. */
export function normalizedKey(question: string): string {
  return question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function monthsBetween(yearMonth: string, now: Date): number {
  const [y, m] = yearMonth.split("-").map(Number) as [number, number];
  return (now.getUTCFullYear() - y) * 12 + (now.getUTCMonth() + 1 - m);
}

/** Checks that need only the data. */
export function checkData(k: Knowledge, now: Date = new Date()): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const factIds = new Set(k.facts.map((f) => f.id));
  const fileOf = (id: string) => k.factFiles.get(id) ?? "knowledge/facts";
  const normalizer = new Normalizer(k.language);
  const seenQuestions = new Map<string, string>();

  for (const fact of k.facts) {
    const file = fileOf(fact.id);
    const source = k.sources.get(fact.source.document);
    if (source === undefined) {
      problems.push({
        file,
        field: `${fact.id}: source.document`,
        message: `no document '${fact.source.document}' in sources/documents.yaml`,
      });
    } else if (!squash(source).includes(squash(fact.source.quote))) {
      problems.push({
        file,
        field: `${fact.id}: source.quote`,
        message: `quote not found verbatim in ${fact.source.document}`,
      });
    }
    for (const rel of fact.related) {
      if (!factIds.has(rel)) problems.push({ file, field: `${fact.id}: related`, message: `no fact with id '${rel}'` });
      if (rel === fact.id)
        problems.push({ file, field: `${fact.id}: related`, message: "a fact cannot be related to itself" });
    }
    for (const q of fact.questions) {
      const key = normalizer.clean(q).join(" ");
      const other = seenQuestions.get(key);
      if (other && other !== fact.id) {
        problems.push({ file, field: `${fact.id}: questions`, message: `"${q}" is also a question of '${other}'` });
      } else if (other === fact.id) {
        problems.push({ file, field: `${fact.id}: questions`, message: `"${q}" is listed twice` });
      }
      seenQuestions.set(key, fact.id);
    }
    // Current terminology: an older term may appear only inside double quotes ("once called ...").
    const unquoted = fact.answer.replace(/"[^"]*"/g, " ").toLowerCase();
    for (const term of k.olderTerms) {
      for (const m of term.match) {
        if (new RegExp(`(?<![a-z])${m.toLowerCase()}(?![a-z])`).test(unquoted)) {
          problems.push({
            file,
            field: `${fact.id}: answer`,
            message: `uses the older term '${m}': say '${term.current}'`,
          });
        }
      }
    }
  }

  k.glossary.forEach((g, i) => {
    if (!factIds.has(g.fact))
      problems.push({ file: "knowledge/glossary.yaml", field: `[${i}].fact`, message: `no fact with id '${g.fact}'` });
  });

  const emergencies = Object.entries(k.resources.regions).flatMap(([code, r]) =>
    r.emergency ? [{ id: `${code} emergency number`, ...r.emergency }] : [],
  );
  for (const s of [...k.resources.services, ...emergencies]) {
    const field = `${s.id}: verified`;
    const age = monthsBetween(s.verified, now);
    if (age > STALE_MONTHS) {
      warnings.push({
        file: "knowledge/resources.yaml",
        field,
        message: `verified ${age} months ago (over ${STALE_MONTHS}): re-check ${s.source}`,
      });
    }
    if (s.recheck) {
      warnings.push({
        file: "knowledge/resources.yaml",
        field: `${s.id}: recheck`,
        message: `marked for re-verification against ${s.source}`,
      });
    }
  }
  return { problems, warnings };
}

/** Checks that need the engine: patterns compile, and every alternate question finds its own fact. */
export function checkRetrieval(k: Knowledge): Problem[] {
  const problems: Problem[] = [];
  let engine: Engine;
  try {
    engine = new Engine(k);
  } catch (err) {
    return [{ file: "knowledge/safety.yaml", field: "", message: (err as Error).message }];
  }
  for (const fact of k.facts) {
    for (const q of fact.questions) {
      const top = engine.retrieve(q, 1).facts[0];
      if (top?.id !== fact.id) {
        problems.push({
          file: k.factFiles.get(fact.id) ?? "knowledge/facts",
          field: `${fact.id}: questions`,
          message: `"${q}" retrieves '${top?.id ?? "nothing"}' first, not this fact`,
        });
      }
    }
  }
  return problems;
}

export function checkKnowledge(dir: string, now: Date = new Date()): CheckReport {
  let k: Knowledge;
  try {
    k = new KnowledgeLoader(dir).load();
  } catch (err) {
    if (err instanceof KnowledgeError)
      return { problems: err.problems, warnings: [], facts: 0, questions: 0, services: 0 };
    throw err;
  }
  const { problems, warnings } = checkData(k, now);
  problems.push(...checkRetrieval(k));
  return {
    problems,
    warnings,
    facts: k.facts.length,
    questions: k.facts.reduce((n, f) => n + f.questions.length, 0),
    services: k.resources.services.length,
  };
}
