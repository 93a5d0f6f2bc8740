/**
 * Runs the labelled sets through the engine and tabulates the results. Used by the accuracy tests
 * (which assert the thresholds) and by `npm run eval` (which prints the tables for a curator).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { load } from "js-yaml";
import { z } from "zod";
import { table } from "../src/cli/safety-eval.js";
import type { Engine } from "../src/engine/engine.js";
import type { ReplyKind } from "../src/engine/reply.js";

const here = join(dirname(fileURLToPath(import.meta.url)), "..", "tests", "eval");
const Row = z.tuple([z.string(), z.string(), z.string()]);

export interface Labelled {
  category: string;
  expected: string;
  question: string;
}

export function loadSet(name: "factual"): Labelled[] {
  const rows = z.array(Row).parse(load(readFileSync(join(here, `${name}.yaml`), "utf8")));
  return rows.map(([category, expected, question]) => ({ category, expected, question }));
}

export interface FactualResult extends Labelled {
  kind: ReplyKind;
  got: string | null;
  correct: boolean;
}

/** Factual: correct when the expected fact is the answer; off-topic: correct unless answered as a fact. */
export function runFactual(engine: Engine, rows = loadSet("factual")): FactualResult[] {
  return rows.map((row) => {
    const reply = engine.answer(row.question);
    const got = reply.kind === "answer" ? reply.factId : null;
    const correct = row.expected === "off-topic" ? reply.kind !== "answer" : got === row.expected;
    return { ...row, kind: reply.kind, got, correct };
  });
}

const pct = (n: number, d: number) => (d === 0 ? "-" : `${((100 * n) / d).toFixed(1)}%`);

export function factualTable(results: FactualResult[]): string {
  const categories = [...new Set(results.map((r) => r.category))];
  const rows = categories.map((c) => {
    const rs = results.filter((r) => r.category === c);
    const ok = rs.filter((r) => r.correct).length;
    return [c, rs.length, ok, pct(ok, rs.length)];
  });
  const factual = results.filter((r) => r.expected !== "off-topic");
  const ok = factual.filter((r) => r.correct).length;
  rows.push(["all factual", factual.length, ok, pct(ok, factual.length)]);
  return table(["category", "questions", "correct", "rate"], rows);
}
