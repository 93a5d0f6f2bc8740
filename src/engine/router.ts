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

interface CompiledRule {
  id: string;
  kind: SafetyKind;
  variant: "adult" | "young_person";
  all: string[];
  /** each inner list needs at least one match */
  any: string[][];
  none: string[];
}

/** `any: [a, b]` means one of a, b; `any: [[a, b], [c, d]]` means one of a, b and one of c, d. */
function anyLists(rule: SafetyRule): string[][] {
  if (rule.any.length === 0) return [];
  return rule.any.every((x) => Array.isArray(x)) ? (rule.any as string[][]) : [rule.any as string[]];
}

export class SafetyRouter {
  private readonly groups = new Map<string, RegExp>();
  private readonly rules: CompiledRule[];

  constructor(safety: Safety) {
    for (const [name, patterns] of Object.entries(safety.groups)) this.groups.set(name, compileGroup(name, patterns));
    const compiled = safety.rules.map((rule, i) => {
      const any = anyLists(rule);
      for (const g of [...rule.all, ...any.flat(), ...rule.none]) {
        if (!this.groups.has(g)) throw new SafetyPatternError(`rules[${i}] (${rule.id}): no group named '${g}'`);
      }
      return { id: rule.id, kind: rule.kind, variant: rule.variant ?? "adult", all: rule.all, any, none: rule.none };
    });
    this.rules = compiled.sort((a, b) => PRECEDENCE.indexOf(a.kind) - PRECEDENCE.indexOf(b.kind));
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
      if (!rule.any.every((list) => list.some(test))) continue;
      if (rule.none.some(test)) continue;
      return { kind: rule.kind, variant: rule.variant, rule: rule.id };
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
          if (before === ")" || before === "\\" || after === "(" || after === "*") continue;
          // "seats?" is "seat" or "seats"
          words.push(m[0]);
          if (after === "?") words.push(m[0].slice(0, -1));
        }
      }
    }
    return words;
  }
}
