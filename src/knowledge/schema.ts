/**
 * The shape of everything under knowledge/. These zod schemas are the only definition of the data's
 * types: the rest of the code uses z.infer, so a field added here is a field everywhere.
 */
import { z } from "zod";

const id = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens, like 'csec-definition'");
const text = z.string().trim().min(1, "must not be empty");

export const DocumentSchema = z.strictObject({
  id,
  file: text,
  title: text,
});
export const DocumentListSchema = z.array(DocumentSchema);

export const FactSchema = z.strictObject({
  id,
  title: text,
  answer: text,
  questions: z.array(text).min(5, "needs at least 5 alternate questions"),
  keywords: z.array(z.union([text, z.number().transform(String)])).default([]),
  source: z.strictObject({
    document: id,
    quote: text,
  }),
  related: z.array(id).default([]),
  tags: z.array(id).default([]),
  /**
   * For a moderation fact: the safety corpus's moderator subtypes (taxonomy.yaml) whose training rows
   * ask for this fact, in moderators' own long, narrative words; the moderation picker learns them as
   * this fact's questions (knowledge/corpus.ts, engine/moderation-picker.ts).
   */
  moderator_subtypes: z.array(z.string().regex(/^[a-z_]+$/, "must be a taxonomy subtype")).default([]),
});
export const FactFileSchema = z.array(FactSchema);

export const GlossaryEntrySchema = z.strictObject({
  term: text,
  aliases: z.array(text).default([]),
  fact: id,
});
export const GlossarySchema = z.array(GlossaryEntrySchema);

export const OlderTermSchema = z.strictObject({
  older: text,
  match: z.array(text).min(1),
  current: text,
});
export const OlderTermsSchema = z.array(OlderTermSchema);

const phraseMap = z.record(z.string(), z.union([z.string(), z.number().transform(String)]));
export const LanguageSchema = z.strictObject({
  spelling: phraseMap.default({}),
  synonyms: phraseMap.default({}),
  contractions: phraseMap.default({}),
  fillers: z.array(text).default([]),
  greetings: z.array(text).default([]),
  topic_words: z.array(text).default([]),
  help_phrases: z.array(text).default([]),
  small_talk: z
    .strictObject({
      thanks: z.array(text).default([]),
      more: z.array(text).default([]),
      bot: z.array(text).default([]),
      privacy: z.array(text).default([]),
    })
    .default({ thanks: [], more: [], bot: [], privacy: [] }),
  outside_subjects: z.array(z.strictObject({ name: text, match: z.array(text).min(1) })).default([]),
});

export const RegionCodeSchema = z.enum(["US", "UK", "IE", "AU", "NZ", "CA", "EU", "INTL"]);
export const ResourceKindSchema = z.enum(["emergency", "report", "helpline", "prevention", "directory"]);

const month = z.string().regex(/^\d{4}-\d{2}$/, "must be a month like 2026-11");

export const ServiceSchema = z.strictObject({
  id,
  name: text,
  for: text,
  regions: z.array(RegionCodeSchema).min(1),
  kind: ResourceKindSchema,
  contacts: z
    .strictObject({
      phone: text.optional(),
      text: text.optional(),
      tty: text.optional(),
      web: text.optional(),
      email: text.optional(),
    })
    .refine((c) => Object.keys(c).length > 0, "needs at least one contact"),
  source: text,
  verified: month,
  recheck: z.boolean().default(false),
  /** listed in urgent replies (false for services that are not a line to call or report to) */
  urgent: z.boolean().default(true),
});

export const ResourcesSchema = z.strictObject({
  regions: z.record(
    RegionCodeSchema,
    z.strictObject({
      name: text,
      /** the number to call when a child is in immediate danger, and where it was read */
      emergency: z
        .strictObject({ number: text, source: text, verified: month, recheck: z.boolean().default(false) })
        .optional(),
      match: z.array(text).default([]),
    }),
  ),
  services: z.array(ServiceSchema).min(1),
});

const stringList = z.array(text);
export const RepliesSchema = z.strictObject({
  help: text,
  help_examples: stringList,
  topics_intro: text,
  suggest: text,
  not_in_glossary: text,
  outside_subject: text,
  fallback: text,
  older_term: text,
  source_line: text,
  related_line: text,
  resources_intro: text,
  international_intro: text,
  emergency_line: text,
  emergency_line_self: text,
  emergency_line_intl: text,
  urgent: z.strictObject({
    adult: z.strictObject({ opening: text, next_title: text, next_steps: stringList }),
    young_person: z.strictObject({ opening: text, next_title: text, next_steps: stringList }),
  }),
  safeguarding_contact: text,
  refusal: z.strictObject({ text, prevention_intro: text, report_intro: text }),
  help_seeking: z.strictObject({ text, intro: text }),
  check_in: z.strictObject({ text, particular_child: text, general: text, prevention_intro: text }),
  small_talk: z.strictObject({
    thanks: text,
    bot: text,
    privacy: text,
    /** the privacy reply in a community that keeps unanswered questions */
    privacy_collecting: text,
    more_intro: text,
    more_none: text,
  }),
  other_language: z.strictObject({ default: text, lines: z.record(z.string().regex(/^[a-z]{2,3}$/), text) }),
  expired: text,
  rate_limited: text,
  alerts: z.strictObject({
    urgent: text,
    refusal: text,
    where: text,
    who: text,
    notice: text,
    sent_privately: text,
  }),
  region_picker: text,
  settings: z.strictObject({
    saved: text,
    not_admin: text,
    no_store: text,
    /** the settings' names and values as shown to admins (Slack's modal, Discord's `show`) */
    title: text,
    save: text,
    region: text,
    contact: text,
    alert_channel: text,
    options: text,
    alert_private: text,
    collect: text,
    not_set: text,
    region_not_set: text,
    yes: text,
    no: text,
  }),
  report: z.strictObject({ title: text, empty: text }),
  ui: z.strictObject({
    helpful: text,
    not_helpful: text,
    share: text,
    related_label: text,
    feedback_thanks: text,
    resources_posted: text,
    resources_posted_reply: text,
    resources_failed: text,
    home_title: text,
    home_ask_title: text,
    home_how_to_ask: stringList,
    home_topics: text,
    home_help: text,
    /** under the topic groups where a surface cannot list every topic at once */
    topics_pick: text,
  }),
});

export const SafetyKindSchema = z.enum(["urgent", "help_seeking", "refusal", "resources"]);
export const SafetyRuleSchema = z.strictObject({
  id,
  kind: SafetyKindSchema,
  variant: z.enum(["adult", "young_person"]).optional(),
  all: z.array(z.string()).default([]),
  /** at least one of these groups; or a list of such lists, each of which must be met */
  any: z.union([z.array(z.string()), z.array(z.array(z.string()))]).default([]),
  none: z.array(z.string()).default([]),
});
/** A group's entry: a pattern (which may use `{fragment}`), or `include: other_group`. */
const GroupEntrySchema = z.union([text, z.number().transform(String), z.strictObject({ include: z.string() })]);

/**
 * safety.yaml as written (fragments written once and used by many patterns; groups that include
 * other groups), resolved here into plain pattern lists, so the router sees one list per group.
 */
export const SafetySchema = z
  .strictObject({
    fragments: z.record(z.string().regex(/^[a-z_]+$/, "fragment names are lower case and _"), text).default({}),
    groups: z.record(z.string(), z.array(GroupEntrySchema).min(1)),
    rules: z.array(SafetyRuleSchema).min(1),
  })
  .transform((safety, ctx) => {
    const resolved: Record<string, string[]> = {};
    const expand = (name: string, trail: string[]): string[] => {
      const done = resolved[name];
      if (done) return done;
      const entries = safety.groups[name] ?? [];
      const out: string[] = [];
      entries.forEach((entry, i) => {
        if (typeof entry !== "string") {
          if (!(entry.include in safety.groups)) {
            ctx.addIssue({ code: "custom", path: ["groups", name, i], message: `no group named '${entry.include}'` });
          } else if (trail.includes(entry.include)) {
            const cycle = [...trail, entry.include].join(" -> ");
            ctx.addIssue({ code: "custom", path: ["groups", name, i], message: `includes itself: ${cycle}` });
          } else out.push(...expand(entry.include, [...trail, entry.include]));
          return;
        }
        out.push(
          entry.replace(/\{([a-z_]+)\}/g, (m, fragment: string) => {
            const text = safety.fragments[fragment];
            if (text === undefined)
              ctx.addIssue({ code: "custom", path: ["groups", name, i], message: `no fragment named '${fragment}'` });
            return text ?? m;
          }),
        );
      });
      resolved[name] = out;
      return out;
    };
    for (const name of Object.keys(safety.groups)) expand(name, [name]);
    return { groups: resolved, rules: safety.rules };
  });

/** The classes a message can belong to (knowledge/safety/taxonomy.yaml); `factual` rows are the facts' questions. */
export const SafetyClassSchema = z.enum([
  "urgent",
  "refusal",
  "help_seeking",
  "resources",
  "moderator",
  "benign",
  "offtopic",
]);
export const TaxonomySchema = z.strictObject({
  classes: z.record(
    SafetyClassSchema,
    z.strictObject({ means: text, subtypes: z.record(z.string().regex(/^[a-z_]+$/), text) }),
  ),
});

/** One labelled row of knowledge/safety/corpus/**.tsv (class, subtype, text). */
export const CorpusRowSchema = z.strictObject({
  class: SafetyClassSchema,
  subtype: z.string().regex(/^[a-z_]+$/, "must be a subtype name like 'venue_sighting'"),
  text: z.string().trim().min(1, "must not be empty").max(2000, "must be at most 2,000 characters"),
});

const probability = z.number().min(0).max(1);
/**
 * knowledge/safety/model.yaml: what `npm run train` wrote beside model.bin. `corpus` is the SHA-256 of
 * the exact training input and parameters, so `factbot check` can tell when the model is stale.
 */
export const ModelManifestSchema = z.strictObject({
  corpus: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex"),
  model: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex"),
  /** the open-set fact classifier (facts-model.bin): which fact a question is about, or none */
  facts_model: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex"),
  /** the answer check (answer-check.bin): does the fact found answer what was asked */
  answer_check_model: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex"),
  /** the moderation gate (moderation-gate.bin): is a moderator's question about children's safety */
  moderation_gate_model: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex"),
  /** the moderation picker (moderation-picker.bin): which moderation fact a moderator needs */
  moderation_picker_model: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex"),
  /** the moderation fit (moderation-fit.bin): does the moderation fact chosen answer the moderator */
  moderation_fit_model: z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex"),
  params: z.record(z.string(), z.union([z.number(), z.string()])),
  facts_params: z.record(z.string(), z.union([z.number(), z.string()])),
  /** one model per view, averaged: each view is `params` with some values changed; none, one model */
  views: z.array(z.record(z.string(), z.union([z.number(), z.string()]))),
  facts_views: z.array(z.record(z.string(), z.union([z.number(), z.string()]))),
  /** the full-rank linear model averaged with the safety views (safety/linear.ts), or none */
  linear: z.record(z.string(), z.number()).nullable(),
  /** the linear model averaged with the fact classifier, or none */
  facts_linear: z.record(z.string(), z.number()).nullable(),
  /** the answer check's parameters (a linear model over found and missing words) */
  answer_check: z.record(z.string(), z.number()),
  /** the moderation gate's parameters */
  moderation_gate: z.record(z.string(), z.number()),
  /** the moderation picker's parameters */
  moderation_picker: z.record(z.string(), z.number()),
  /** the moderation fit's parameters */
  moderation_fit: z.record(z.string(), z.number()),
  labels: z.array(SafetyClassSchema).min(2),
  thresholds: z.strictObject({
    urgent: probability,
    help_seeking: probability,
    refusal: probability,
    resources: probability,
    moderator: probability,
    override: probability,
    care_urgent: probability,
    care_refusal: probability,
  }),
  rows: z.strictObject({ train: z.number().int(), dev: z.number().int() }),
  /**
   * The rules that decide outright: right on at least 95% of the training rows they fire on. Every
   * other rule only informs the classifier (its verdict is one of the model's input words).
   */
  certain_rules: z.array(z.string()),
});

export type Document = z.infer<typeof DocumentSchema>;
export type Fact = z.infer<typeof FactSchema>;
export type GlossaryEntry = z.infer<typeof GlossaryEntrySchema>;
export type OlderTerm = z.infer<typeof OlderTermSchema>;
export type Language = z.infer<typeof LanguageSchema>;
export type SmallTalkIntent = keyof Language["small_talk"];
export type RegionCode = z.infer<typeof RegionCodeSchema>;
export type ResourceKind = z.infer<typeof ResourceKindSchema>;
export type Service = z.infer<typeof ServiceSchema>;
export type Resources = z.infer<typeof ResourcesSchema>;
export type Replies = z.infer<typeof RepliesSchema>;
export type SafetyKind = z.infer<typeof SafetyKindSchema>;
export type SafetyRule = z.infer<typeof SafetyRuleSchema>;
export type Safety = z.infer<typeof SafetySchema>;
export type SafetyClass = z.infer<typeof SafetyClassSchema>;
export type Taxonomy = z.infer<typeof TaxonomySchema>;
export type CorpusRow = z.infer<typeof CorpusRowSchema>;
export type ModelManifest = z.infer<typeof ModelManifestSchema>;

/** Everything the engine needs, loaded and validated. `sources` maps a document id to its text. */
export interface Knowledge {
  documents: Document[];
  sources: Map<string, string>;
  facts: Fact[];
  /** which file each fact came from, for messages that name the file */
  factFiles: Map<string, string>;
  glossary: GlossaryEntry[];
  olderTerms: OlderTerm[];
  language: Language;
  resources: Resources;
  replies: Replies;
  safety: Safety;
  /** the trained safety classifier (knowledge/safety/model.bin and model.yaml), when the folder has one */
  safetyModel: SafetyModelFiles | null;
}

/** What `npm run train` writes and the loader reads back: the manifest and each model's bytes. */
export interface SafetyModelFiles {
  manifest: ModelManifest;
  /** the safety classifier (model.bin) */
  bytes: Uint8Array;
  /** the fact classifier (facts-model.bin) */
  facts: Uint8Array;
  /** the answer check (answer-check.bin; engine/answer-check.ts) */
  answerCheck: Uint8Array;
  /** the moderation gate (moderation-gate.bin; engine/moderation-gate.ts) */
  moderationGate: Uint8Array;
  /** the moderation picker (moderation-picker.bin; engine/moderation-picker.ts) */
  moderationPicker: Uint8Array;
  /** the moderation fit (moderation-fit.bin; engine/moderation-fit.ts) */
  moderationFit: Uint8Array;
}

/** The first tag of the facts that answer moderators (knowledge/facts/moderation.yaml). */
export const MODERATION_TAG = "moderation";

/** The ids of the facts that answer moderators (their first tag is MODERATION_TAG). */
export function moderationFactIds(facts: readonly Fact[]): Set<string> {
  return new Set(facts.filter((f) => f.tags[0] === MODERATION_TAG).map((f) => f.id));
}
