/**
 * The engine's only output, and the CLI's JSON. Adapters render it; they never add words of their own
 * to an answer, and never the user's.
 */
import { z } from "zod";
import { RegionCodeSchema, ResourceKindSchema } from "../knowledge/schema.js";

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

export const ResourceRefSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  for: z.string(),
  kind: ResourceKindSchema,
  regions: z.array(RegionCodeSchema),
  contacts: z.strictObject({
    phone: z.string().optional(),
    text: z.string().optional(),
    tty: z.string().optional(),
    web: z.string().optional(),
    email: z.string().optional(),
  }),
  source: z.string(),
  verified: z.string(),
  recheck: z.boolean(),
  urgent: z.boolean(),
});

export const ReplySchema = z.strictObject({
  kind: ReplyKindSchema,
  /** the complete reply as a user reads it in plain text, source line included */
  text: z.string().min(1),
  factId: z.string().nullable(),
  title: z.string().nullable(),
  /** for an answer: the fact's answer alone, and any notes (an older term named once) */
  answer: z.string().nullable(),
  notes: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  /**
   * where the answer comes from: our notes document (its title, the verbatim quote) and the public
   * pages that section of the notes cites, the most relevant first
   */
  source: z
    .strictObject({
      document: z.string(),
      title: z.string(),
      quote: z.string(),
      cited: z.array(
        z.strictObject({
          publisher: z.string(),
          title: z.string().nullable(),
          year: z.string().nullable(),
          link: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  related: z.array(TopicRefSchema),
  suggestions: z.array(TopicRefSchema),
  resources: z.array(ResourceRefSchema),
  /** the region whose referrals the reply carries */
  region: RegionCodeSchema,
  /** the rule that routed a safety reply, for metadata-only logs and tests; null for retrieval */
  rule: z.string().nullable(),
  /** a sensitive reply: adapters show it only to the person who asked, where the platform allows */
  sensitive: z.boolean(),
});

export type ReplyKind = z.infer<typeof ReplyKindSchema>;
export type TopicRef = z.infer<typeof TopicRefSchema>;
export type ResourceRef = z.infer<typeof ResourceRefSchema>;
export type Reply = z.infer<typeof ReplySchema>;

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
