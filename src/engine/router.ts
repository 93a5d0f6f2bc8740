/**
 * The safety router: decides, before any retrieval, whether a message is a disclosure (urgent), a
 * request to facilitate harm (refusal), a person asking for help with their own thoughts (help_seeking)
 * or a request for help lines (resources). The patterns and rules are data (knowledge/safety.yaml);
 * this file only compiles and applies them.
 */
import type { Safety, SafetyKind, SafetyRule } from "../knowledge/schema.js";

export interface Route {
  kind: SafetyKind;
  variant: "adult" | "young_person";
  rule: string;
}

const PRECEDENCE: SafetyKind[] = ["urgent", "help_seeking", "refusal", "resources"];

export class SafetyPatternError extends Error {}

/** One regular expression per group: any of its patterns, on word boundaries. */
function compileGroup(name: string, patterns: string[]): RegExp {
  const parts = patterns.map((p, i) => {
    try {
      new RegExp(p);
    } catch (err) {
      throw new SafetyPatternError(`groups.${name}[${i}]: not a valid pattern: ${(err as Error).message}`);
    }
    return `(?:${p})`;
  });
  return new RegExp(`(?<![a-z0-9])(?:${parts.join("|")})(?![a-z0-9])`);
}

export class SafetyRouter {
  private readonly groups = new Map<string, RegExp>();
  private readonly rules: SafetyRule[];

  constructor(safety: Safety) {
    for (const [name, patterns] of Object.entries(safety.groups)) this.groups.set(name, compileGroup(name, patterns));
    safety.rules.forEach((rule, i) => {
      for (const g of [...rule.all, ...rule.any, ...rule.none]) {
        if (!this.groups.has(g)) throw new SafetyPatternError(`rules[${i}] (${rule.id}): no group named '${g}'`);
      }
    });
    this.rules = [...safety.rules].sort((a, b) => PRECEDENCE.indexOf(a.kind) - PRECEDENCE.indexOf(b.kind));
  }

  /**
   * Which groups a message matches (for tests and for curators tuning patterns). A message is given in
   * its readings (as written, and typo-corrected): a group matches if any reading matches, so a
   * correction can add a match ("prostitues") but never hide one ("sext" is not lost to "sent").
   */
  matches(readings: string | string[]): Set<string> {
    const hit = new Set<string>();
    for (const name of this.groups.keys()) if (this.has(readings, name)) hit.add(name);
    return hit;
  }

  has(readings: string | string[], group: string): boolean {
    const re = this.groups.get(group);
    if (!re) return false;
    return typeof readings === "string" ? re.test(readings) : readings.some((r) => re.test(r));
  }

  /** The first rule, in order of precedence, that the message satisfies; null for an ordinary question. */
  route(readings: string | string[]): Route | null {
    const cache = new Map<string, boolean>();
    const test = (g: string) => {
      let v = cache.get(g);
      if (v === undefined) {
        v = this.has(readings, g);
        cache.set(g, v);
      }
      return v;
    };
    for (const rule of this.rules) {
      if (!rule.all.every(test)) continue;
      if (rule.any.length > 0 && !rule.any.some(test)) continue;
      if (rule.none.some(test)) continue;
      return { kind: rule.kind, variant: rule.variant ?? "adult", rule: rule.id };
    }
    return null;
  }

  /** Whole words that the patterns use, so typo correction can reach them ("prostitues" -> "prostitutes"). */
  static vocabulary(safety: Safety): string[] {
    const words: string[] = [];
    for (const patterns of Object.values(safety.groups)) {
      for (const p of patterns) {
        for (const m of p.matchAll(/[a-z]+/g)) {
          const before = p[m.index - 1];
          const after = p[m.index + m[0].length];
          if (before === ")" || before === "\\" || after === "(" || after === "?" || after === "*") continue;
          words.push(m[0]);
        }
      }
    }
    return words;
  }
}
