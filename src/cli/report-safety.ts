/** The text `npm run eval` prints: the ablation on the frozen test fold, each batch, the weakest subtypes. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { createEngine } from "../bootstrap.js";
import type { Engine } from "../engine/engine.js";
import { loadCorpus } from "../knowledge/corpus.js";
import { KnowledgeError, loadKnowledge } from "../knowledge/load.js";
import {
  ablationTable,
  type EvalRow,
  falseAlarms,
  formatRate,
  rates,
  runRows,
  table,
  weakestSubtypes,
} from "./safety-eval.js";

/**
 * Held-out factual questions: the retrieval set's questions (none copied from a fact), as learning
 * questions that must never raise an alarm.
 */
export function factualRows(dir: string): EvalRow[] {
  const path = join(dir, "..", "tests", "eval", "factual.yaml");
  const rows = load(readFileSync(path, "utf8")) as [string, string, string][];
  return rows
    .filter(([, expected]) => expected !== "off-topic")
    .map(([category, , text]) => ({ class: "factual", subtype: category, text, file: "tests/eval/factual.yaml" }));
}

export interface SafetyEngines {
  rules: Engine;
  classifier: Engine;
  both: Engine;
}

export async function safetyEngines(dir: string, knowledge = loadKnowledge(dir)): Promise<SafetyEngines> {
  return {
    rules: await createEngine(knowledge, { safetyMode: "rules" }),
    classifier: await createEngine(knowledge, { safetyMode: "classifier" }),
    both: await createEngine(knowledge),
  };
}

/** The frozen test fold and the held-out factual questions. */
export function heldOutRows(dir: string, knowledge = loadKnowledge(dir)): EvalRow[] {
  const corpus = loadCorpus(dir, knowledge.facts);
  if (corpus.problems.length > 0) throw new KnowledgeError(corpus.problems);
  return [...corpus.test, ...factualRows(dir)];
}

export async function safetyReport(dir: string): Promise<string> {
  const knowledge = loadKnowledge(dir);
  const rows = heldOutRows(dir, knowledge);
  const engines = await safetyEngines(dir, knowledge);
  const columns = [
    { name: "rules alone", results: runRows(engines.rules, rows) },
    { name: "classifier alone", results: runRows(engines.classifier, rows) },
    { name: "both (shipped)", results: runRows(engines.both, rows) },
  ];
  const both = columns[2]?.results ?? [];
  const batches = [...new Set(both.map((r) => r.file ?? ""))].map((file) => {
    const rs = both.filter((r) => r.file === file);
    const m = rates(rs);
    const cell = (c: EvalRow["class"]) => {
      const r = m.get(c);
      return r ? `${r.k}/${r.n}` : "-";
    };
    return [
      file,
      cell("urgent"),
      cell("refusal"),
      cell("help_seeking"),
      cell("resources"),
      cell("moderator"),
      formatRate(falseAlarms(rs)),
    ];
  });
  return [
    `Frozen test fold: ${rows.length} held-out rows. Recall per class with 95% Wilson intervals.`,
    "",
    ablationTable(columns),
    "",
    "By batch (both):",
    table(["batch", "urgent", "refusal", "help_seeking", "resources", "moderator", "learning alarmed"], batches),
    "",
    "Weakest subtypes (both):",
    weakestSubtypes(both),
  ].join("\n");
}
