/**
 * The engine's only output, and the CLI's JSON. A Reply is data: every part an adapter shows (lead
 * line, title, answer, notes, source, referrals by region, next steps, suggestions, related topics,
 * footer) is its own field, and `plainText` derives the text the CLI and the terminal print. Adapters
 * render the fields; they never parse `text`, never add words of their own to an answer, and never
 * the user's.
 */
import { z } from "zod";
import { RegionCodeSchema, type Replies, ServiceSchema } from "../knowledge/schema.js";

export const ReplyKindSchema = z.enum([
  "answer",
  "suggest",
  "fallback",
  "help",
  "urgent",
  "refusal",
  "resources",
  "check_in",
]);

export const TopicRefSchema = z.strictObject({ id: z.string(), title: z.string() });

/** A service as the reply carries it: the directory's own schema, so the two cannot drift apart. */
export const ResourceRefSchema = ServiceSchema;

/** One group of lines to call or report to, with the emergency line that opens it (if any). */
export const ReferralGroupSchema = z.strictObject({
  /** whose lines these are; INTL groups are shown last, after the next steps */
  region: RegionCodeSchema,
  /** "If a child is in immediate danger, call 999 now." */
  emergency: z.string().nullable(),
  heading: z.string().nullable(),
  services: z.array(ResourceRefSchema),
  /** show what each service is for (the resources directory does; urgent replies stay short) */
  purpose: z.boolean(),
});

export const CitedSchema = z.strictObject({
  publisher: z.string(),
  title: z.string().nullable(),
  year: z.string().nullable(),
  link: z.string().nullable(),
});

export const ReplySchema = z.strictObject({
  kind: ReplyKindSchema,
  /** the complete reply in plain text, derived from the fields below by `plainText` */
  text: z.string().min(1),
  /** the first line, shown first and on its own: an emergency line, a refusal, "I don't have that" */
  lead: z.string().nullable(),
  factId: z.string().nullable(),
  title: z.string().nullable(),
  /** for an answer: the fact's answer alone */
  answer: z.string().nullable(),
  /** short notes under the answer (an older term named once) */
  notes: z.array(z.string()),
  /** further paragraphs after the lead, in order */
  body: z.array(z.string()),
  /** a short list after the body (the help's example questions) */
  bullets: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  /**
   * where the answer comes from: our notes document (its title, the verbatim quote) and the public
   * pages that section of the notes cites, the most relevant first
   */
  source: z
    .strictObject({ document: z.string(), title: z.string(), quote: z.string(), cited: z.array(CitedSchema) })
    .nullable(),
  related: z.array(TopicRefSchema),
  /** a few topics offered instead of an answer (buttons where the platform has them) */
  suggestions: z.array(TopicRefSchema),
  /** every topic, by tag (the topics reply) */
  catalogue: z.array(z.strictObject({ name: z.string(), topics: z.array(TopicRefSchema) })),
  /** the lines to call or report to, grouped as they are shown */
  referrals: z.array(ReferralGroupSchema),
  /** every service in `referrals`, the emergency service first (for JSON readers and tests) */
  resources: z.array(ResourceRefSchema),
  nextSteps: z
    .strictObject({ title: z.string(), steps: z.array(z.string()), contact: z.string().nullable() })
    .nullable(),
  /** closing lines, after everything else but the source */
  footer: z.array(z.string()),
  /** the region whose referrals the reply carries */
  region: RegionCodeSchema,
  /** the rule that routed a safety reply, for metadata-only logs and tests; null for retrieval */
  rule: z.string().nullable(),
  /** the safety route that chose this reply (null for retrieval, help and small talk) */
  safety: z.enum(["urgent", "help_seeking", "refusal", "resources", "check_in", "moderator"]).nullable(),
  /** for an urgent reply: written to an adult who was told, or to a young person (the region picker keeps it) */
  variant: z.enum(["adult", "young_person"]).nullable(),
  /** a sensitive reply: adapters show it only to the person who asked, where the platform allows */
  sensitive: z.boolean(),
});

export type ReplyKind = z.infer<typeof ReplyKindSchema>;
export type TopicRef = z.infer<typeof TopicRefSchema>;
export type ResourceRef = z.infer<typeof ResourceRefSchema>;
export type ReferralGroup = z.infer<typeof ReferralGroupSchema>;
export type Reply = z.infer<typeof ReplySchema>;
export type ReplyFields = Omit<Reply, "text">;

/**
 * How a reply's source reads, the same in every adapter: the most relevant public page our notes cite
 * (organisation, title, year, address), else the document's title.
 */
export function sourceText(source: NonNullable<Reply["source"]>): string {
  const c = source.cited[0];
  if (!c) return source.title;
  const title = c.title && c.title !== c.publisher ? `, "${c.title}"` : "";
  const year = c.year ? ` (${c.year})` : "";
  const link = c.link ? `, ${c.link}` : "";
  return `${c.publisher}${title}${year}${link}`;
}

/** How to reach a service: "call 1-888-373-7888, text 233733, TTY 711, humantraffickinghotline.org". */
export function contactText(s: ResourceRef): string {
  const c = s.contacts;
  return [c.phone && `call ${c.phone}`, c.text && `text ${c.text}`, c.tty && `TTY ${c.tty}`, c.web, c.email]
    .filter(Boolean)
    .join(", ");
}

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

/** A rule's name without its probability ("classifier:urgent p=0.93" -> "classifier:urgent"): a small set. */
export function ruleName(rule: string | null): string {
  return rule?.split(" ")[0] ?? "";
}

/** The two labels plain text needs, from replies.yaml. */
export type PlainCopy = Pick<Replies, "source_line" | "related_line">;

function serviceLine(s: ResourceRef, purpose: boolean): string {
  const source = s.source !== s.contacts.web ? ` (source: ${s.source})` : "";
  return `- ${s.name}${purpose ? ` (${s.for})` : ""}: ${contactText(s)}${source}`;
}

function groupLines(g: ReferralGroup): string[] {
  return [
    ...(g.emergency ? [g.emergency] : []),
    ...(g.heading ? [g.heading] : []),
    ...g.services.map((s) => serviceLine(s, g.purpose)),
  ];
}

/**
 * The one plain-text rendering, for the CLI, the terminal and notifications: lead, answer, body,
 * suggestions, the region's lines, next steps, the lines for anywhere in the world, footer, source.
 */
export function plainText(reply: ReplyFields, copy: PlainCopy): string {
  const local = reply.referrals.filter((g) => g.region !== "INTL");
  const international = reply.referrals.filter((g) => g.region === "INTL");
  const lines = [
    ...(reply.lead ? [reply.lead] : []),
    ...(reply.title ? [reply.title] : []),
    ...(reply.answer ? [reply.answer] : []),
    ...reply.notes,
    ...reply.body,
    ...reply.bullets.map((b) => `- ${b}`),
    ...reply.suggestions.map((s) => `- ${s.title}`),
    ...reply.catalogue.map((g) => `${g.name}: ${g.topics.map((t) => t.title).join("; ")}`),
    ...local.flatMap(groupLines),
    ...(reply.nextSteps
      ? [
          reply.nextSteps.title,
          ...reply.nextSteps.steps.map((s) => `- ${s}`),
          ...(reply.nextSteps.contact ? [reply.nextSteps.contact] : []),
        ]
      : []),
    ...international.flatMap(groupLines),
    ...reply.footer,
    ...(reply.source ? [fill(copy.source_line, { document: sourceText(reply.source) })] : []),
    ...(reply.related.length > 0
      ? [fill(copy.related_line, { titles: reply.related.map((r) => r.title).join("; ") })]
      : []),
  ];
  return lines.join("\n");
}
