/** How a Reply reads in a terminal: the reply's own text, with a marker for sensitive replies. */
import type { Reply } from "../../src/engine/reply.js";

export function renderConsole(reply: Reply): string {
  const body = reply.text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
  return `factbot (${reply.kind}):\n${body}\n`;
}
