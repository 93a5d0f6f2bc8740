/**
 * The engine's only output, and the CLI's JSON. Adapters render it; they never add words of their own
 * to an answer, and never the user's.
 */
import { z } from "zod";
import { RegionCodeSchema, ResourceKindSchema } from "../knowledge/schema.js";

export const ReplyKindSchema = z.enum(["answer", "suggest", "fallback", "help", "urgent", "refusal", "resources", "check_in"]);

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
  source: z.strictObject({ document: z.string(), title: z.string(), quote: z.string() }).nullable(),
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
