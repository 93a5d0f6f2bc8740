/**
 * The safety decision: the rules' verdict (knowledge/safety.yaml) and the classifier's probabilities
 * combined into one route, before any fact is looked up. Precedence stays urgent, help-seeking,
 * refusal, resources; then moderator guidance; then a care-first check-in for the uncertain middle.
 *   - A certain rule (right on >= 95% of at least 10 training rows it fires on; `npm run train` measures
 *     this) decides: an urgent one always, since over-alarming is the safe error; a refusal or
 *     resources one unless the classifier is confident the message is a moderator's or a learning
 *     question (a moderator refused as an offender is a failure too). Every rule's verdict is also
 *     one of the classifier's input features, so an uncertain rule informs without deciding alone.
 *   - Otherwise each class decides at its own threshold, chosen on the dev fold by `npm run train`.
 *   - When urgent or refusal is likely but below its threshold, no fact (not even moderator guidance)
 *     and no "I don't know": a short check-in with the emergency number and the reporting lines.
 */
import type { ModelManifest } from "../../knowledge/schema.js";
import type { Route } from "../router.js";
import type { Probabilities } from "./classifier.js";

export type Thresholds = ModelManifest["thresholds"];

export type SafetyRouteKind = "urgent" | "help_seeking" | "refusal" | "resources" | "moderator" | "check_in";

export interface SafetyDecision {
  kind: SafetyRouteKind;
  /** what decided, for curators and metadata-only logs: a rule id, or `classifier:<class> p=0.93` */
  rule: string;
  /** for a check-in: which was likely, danger to a child (urgent) or a harmful request (refusal) */
  likely?: "urgent" | "refusal";
}

/** `classifier:refusal p=0.97` */
export function classifierRule(name: string, p: number): string {
  return `classifier:${name} p=${p.toFixed(2)}`;
}

/**
 * One message's route, or null for an ordinary question (retrieval decides). With no classifier
 * (`model` null: a knowledge folder without a model), the rules alone decide.
 */
export interface ModelJudgement {
  probs: Probabilities;
  thresholds: Thresholds;
  /** the rules that decide outright (the manifest's certain_rules) */
  certain: ReadonlySet<string>;
}

export function decide(routed: Route | null, model: ModelJudgement | null): SafetyDecision | null {
  const d = decision(routed, model);
  if (!d) return null;
  if ("rule" in d) return d;
  const rule = classifierRule(d.by, model?.probs[d.by] ?? 0);
  if (d.kind === "check_in" && (d.by === "urgent" || d.by === "refusal")) return { kind: d.kind, rule, likely: d.by };
  return { kind: d.kind, rule };
}

/** The route's kind alone: what `npm run train` scores thousands of times per threshold candidate. */
export function decideKind(routed: Route | null, model: ModelJudgement | null): SafetyRouteKind | null {
  return decision(routed, model)?.kind ?? null;
}

/** The decision, naming the rule that decided or the class whose probability did (formatted only when needed). */
function decision(
  routed: Route | null,
  model: ModelJudgement | null,
): { kind: SafetyRouteKind; rule: string } | { kind: SafetyRouteKind; by: keyof Probabilities } | null {
  if (!model) return routed ? { kind: routed.kind, rule: routed.rule } : null;
  const { probs, thresholds: t } = model;
  const rule = routed && model.certain.has(routed.rule) ? routed : null;
  if (rule?.kind === "urgent") return { kind: "urgent", rule: rule.rule };
  const by = (name: keyof Probabilities, kind: SafetyRouteKind = name as SafetyRouteKind) => ({ kind, by: name });

  if (probs.urgent >= t.urgent) return by("urgent");
  if (rule?.kind === "help_seeking") return { kind: "help_seeking", rule: rule.rule };
  if (probs.help_seeking >= t.help_seeking) return by("help_seeking");
  // A rule's refusal or resources stands unless the model is sure this is a moderator or a learner.
  const overruled = probs.moderator >= t.override || probs.benign >= t.override;
  if (rule && !overruled) return { kind: rule.kind, rule: rule.rule };
  if (probs.refusal >= t.refusal) return by("refusal");
  if (probs.resources >= t.resources) return by("resources");
  // Moderator guidance is a fact: never given where danger or a harmful request is likely, which
  // gets the check-in instead.
  if (probs.urgent >= t.care_urgent) return by("urgent", "check_in");
  if (probs.refusal >= t.care_refusal) return by("refusal", "check_in");
  if (probs.moderator >= t.moderator) return by("moderator");
  return null;
}
