/**
 * Cleans raw chat input before anything reads it. Input is capped and stripped of control characters
 * and platform mention syntax, never rejected: a bot must not crash on what people paste into chat.
 */
export const MAX_INPUT_CHARS = 2000;

// Slack: <@U123>, <!channel>, <#C123|name>, <https://…|label>; Discord: <@123>, <@&123>, <#123>, <:emoji:123>.
const PLATFORM_MARKUP = /<[@#!][^<>\s]{0,80}>|<a?:\w{1,40}:\d{1,25}>|<https?:[^<>\s]{0,500}>/g;
const BROADCAST = /@(everyone|here|channel)\b/gi;
// C0/C1 controls, zero-width and bidi controls, and lone surrogates (from truncating a pair).
const CONTROLS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function sanitize(input: unknown): string {
  const raw = typeof input === "string" ? input : "";
  return raw
    .slice(0, MAX_INPUT_CHARS)
    .replace(CONTROLS, " ")
    .replace(PLATFORM_MARKUP, " ")
    .replace(BROADCAST, " ")
    .replace(/\s+/g, " ")
    .trim();
}
