import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkData, checkKnowledge } from "../src/cli/check.js";
import { KnowledgeError, loadKnowledge, shippedKnowledgeDir } from "../src/knowledge/load.js";
import { shippedKnowledge } from "./helpers.js";

function copyOfKnowledge(): string {
  const dir = mkdtempSync(join(tmpdir(), "factbot-knowledge-"));
  cpSync(shippedKnowledgeDir(), dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  writeFileSync(path, change(readFileSync(path, "utf8")));
}

describe("the shipped knowledge base", () => {
  it("passes factbot check with no problems", () => {
    const report = checkKnowledge(shippedKnowledgeDir(), new Date("2026-11-29"));
    expect(report.problems).toEqual([]);
    expect(report.facts).toBeGreaterThanOrEqual(40);
  });

  it("quotes every fact verbatim from a shipped source document", () => {
    const k = shippedKnowledge();
    const squash = (t: string) => t.replace(/\s+/g, " ");
    for (const fact of k.facts) {
      expect(squash(k.sources.get(fact.source.document) ?? ""), fact.id).toContain(squash(fact.source.quote));
    }
  });

  it("covers every paragraph of the overview with at least one quote", () => {
    const k = shippedKnowledge();
    const overview = k.sources.get("csec-overview") ?? "";
    const paragraphs = overview
      .split(/\n\s*\n/)
      .map((p) => p.replace(/\s+/g, " ").trim())
      .filter((p) => p.length > 80);
    const quotes = k.facts.filter((f) => f.source.document === "csec-overview").map((f) => f.source.quote);
    for (const p of paragraphs)
      expect(
        quotes.some((q) => p.includes(q.replace(/\s+/g, " "))),
        p.slice(0, 60),
      ).toBe(true);
  });

  it("warns about referral entries verified over a year ago, and lists those marked for re-checking", () => {
    const { warnings, problems } = checkData(shippedKnowledge(), new Date("2028-01-15"));
    expect(problems).toEqual([]);
    expect(warnings.some((w) => w.field === "us-trafficking-hotline: verified" && /14 months/.test(w.message))).toBe(
      true,
    );
    const now = checkData(shippedKnowledge(), new Date("2026-11-29")).warnings;
    expect(now.every((w) => w.field.endsWith("recheck"))).toBe(true);
    expect(now.map((w) => w.field)).toContain("us-cybertipline: recheck");
  });
});

describe("loading errors name the file, the field and the reason", () => {
  it("reports a missing answer and a too-short question list", () => {
    const dir = copyOfKnowledge();
    edit(dir, "facts/scale.yaml", (t) =>
      t.replace("  answer: >-\n    Approximately 2 million", "  answr: >-\n    Approximately 2 million"),
    );
    // the first fact of causes.yaml keeps only its first two alternate questions
    edit(dir, "facts/causes.yaml", (t) => {
      const lines = t.split("\n");
      const start = lines.indexOf("  questions:");
      let end = start + 1;
      while (lines[end]?.startsWith("    - ")) end++;
      return [...lines.slice(0, start + 3), ...lines.slice(end)].join("\n");
    });
    try {
      loadKnowledge(dir);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(KnowledgeError);
      const text = (err as Error).message;
      expect(text).toMatch(
        /facts\/scale\.yaml \[two-million: answer\]: Invalid input: expected string, received undefined/,
      );
      expect(text).toMatch(/facts\/scale\.yaml \[two-million\]: Unrecognized key: "answr"/);
      expect(text).toMatch(/facts\/causes\.yaml \[causes: questions\]: needs at least 5 alternate questions/);
    }
  });

  it("reports YAML syntax errors with a line", () => {
    const dir = copyOfKnowledge();
    edit(dir, "glossary.yaml", (t) => `${t}\n- term: [broken\n`);
    expect(() => loadKnowledge(dir)).toThrow(/glossary\.yaml \[line \d+\]: not valid YAML/);
  });

  it("fails the check for a changed quote, a dangling related id and a shared alternate question", () => {
    const dir = copyOfKnowledge();
    edit(dir, "facts/offenders.yaml", (t) =>
      t
        .replace('quote: "The vast majority of offenders are men', 'quote: "Nearly all offenders are men')
        .replace("related: [offender-diversity, offender-categories]", "related: [offender-diversity, no-such-fact]")
        .replace("    - are offenders mostly men\n", "    - are offenders mostly men\n    - what is csec\n"),
    );
    const report = checkKnowledge(dir, new Date("2026-11-29"));
    const lines = report.problems.map((p) => `${p.file} [${p.field}]: ${p.message}`);
    expect(lines).toContainEqual(
      expect.stringMatching(/offenders\.yaml \[offender-gender: source\.quote\]: quote not found/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/\[offender-gender: related\]: no fact with id 'no-such-fact'/));
    expect(lines).toContainEqual(expect.stringMatching(/"what is csec" is also a question of 'csec-definition'/));
  });

  it("fails the check when an answer uses an older term outside quotes", () => {
    const dir = copyOfKnowledge();
    edit(dir, "facts/trends.yaml", (t) =>
      t.replace("by distributing child sexual abuse material.", "by distributing child pornography."),
    );
    const report = checkKnowledge(dir, new Date("2026-11-29"));
    expect(report.problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/older term 'child pornography'/),
    );
  });

  it("fails the check when a safety rule names a group that does not exist", () => {
    const dir = copyOfKnowledge();
    edit(dir, "safety.yaml", (t) => t.replace("all: [resource_request]", "all: [resource_requests]"));
    const report = checkKnowledge(dir, new Date("2026-11-29"));
    expect(report.problems.map((p) => `${p.file}: ${p.message}`)).toContainEqual(
      expect.stringMatching(/safety\.yaml: .*no group named 'resource_requests'/),
    );
  });
});

describe("safety.yaml fragments and included groups", () => {
  it("resolves a group's include and a pattern's {fragment} into plain patterns", () => {
    const { groups } = shippedKnowledge().safety;
    for (const p of groups.conditional ?? []) expect(groups.hypothetical).toContain(p);
    const all = Object.values(groups).flat();
    expect(all.some((p) => /\{[a-z_]+\}/.test(p))).toBe(false);
    expect(all.some((p) => p.includes("(?! (clothes|clothing"))).toBe(true);
  });

  it("names the group and entry of an unknown fragment, an unknown include and an include cycle", () => {
    const dir = copyOfKnowledge();
    edit(dir, "safety.yaml", (t) =>
      t
        .replace("{not_goods_for_children}", "{no_such_fragment}")
        .replace("    - include: conditional\n", "    - include: no_such_group\n")
        .replace("  conditional:\n", "  conditional:\n    - include: conditional\n"),
    );
    try {
      loadKnowledge(dir);
      expect.unreachable();
    } catch (err) {
      const text = (err as Error).message;
      expect(text).toMatch(/safety\.yaml \[groups\.child_object\[\d+\]\]: no fragment named 'no_such_fragment'/);
      expect(text).toMatch(/safety\.yaml \[groups\.hypothetical\[0\]\]: no group named 'no_such_group'/);
      expect(text).toMatch(/safety\.yaml \[groups\.conditional\[0\]\]: includes itself: conditional -> conditional/);
    }
  });
});
