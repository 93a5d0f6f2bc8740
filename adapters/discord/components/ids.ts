/**
 * Every button's custom id, encoded and decoded here only: "<prefix>:<value>". The prefix names the
 * component module that handles the press (components/index.ts); the value is a fact id (a region, a
 * topic group's name), checked against the base before use, because a custom id comes back from the
 * client and can be forged.
 */
export const PREFIX = {
  related: "related",
  share: "share",
  helpful: "helpful",
  notHelpful: "not_helpful",
  region: "region",
  topics: "topics",
} as const;

export type Prefix = (typeof PREFIX)[keyof typeof PREFIX];

/** Discord's limit on a custom id */
const CUSTOM_ID_MAX = 100;

export function encodeId(prefix: Prefix, value: string): string {
  return `${prefix}:${value}`.slice(0, CUSTOM_ID_MAX);
}

export function decodeId(customId: string): { prefix: string; value: string } {
  const at = customId.indexOf(":");
  return at < 0 ? { prefix: customId, value: "" } : { prefix: customId.slice(0, at), value: customId.slice(at + 1) };
}
