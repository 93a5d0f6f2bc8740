/**
 * Reply -> Block Kit, as pure functions. Every string is escaped for mrkdwn (&, <, >), so nothing the
 * bot posts can form <!channel>, <!here>, <!everyone> or a user mention, whatever the knowledge says.
 */
import { contactText } from "../../src/engine/compose.js";
import type { TopicGroup } from "../../src/engine/engine.js";
import { type Reply, type ResourceRef, sourceText } from "../../src/engine/reply.js";

// Block Kit's limits
const SECTION_MAX = 3000;
const BUTTON_TEXT_MAX = 75;
const ACTIONS_MAX = 25;

export const ACTION = {
  share: "share_answer",
  related: "related_topic",
  helpful: "feedback_helpful",
  notHelpful: "feedback_not_helpful",
} as const;

// biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are plain JSON objects
export type Block = Record<string, any>;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function section(mrkdwn: string): Block {
  return { type: "section", text: { type: "mrkdwn", text: clip(mrkdwn, SECTION_MAX) } };
}

function context(mrkdwn: string): Block {
  return { type: "context", elements: [{ type: "mrkdwn", text: clip(mrkdwn, SECTION_MAX) }] };
}

function button(text: string, actionId: string, value: string, style?: "primary" | "danger"): Block {
  return {
    type: "button",
    text: { type: "plain_text", text: clip(text, BUTTON_TEXT_MAX), emoji: false },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** Sections of at most SECTION_MAX characters, split on line breaks. */
function sections(lines: string[]): Block[] {
  const out: Block[] = [];
  let current = "";
  for (const line of lines.map(escapeMrkdwn)) {
    if (current && current.length + line.length + 1 > SECTION_MAX) {
      out.push(section(current));
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  return out;
}

function serviceLine(s: ResourceRef): string {
  return `• *${escapeMrkdwn(s.name)}*: ${escapeMrkdwn(contactText(s))}`;
}

function topicButtons(topics: { id: string; title: string }[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < topics.length; i += ACTIONS_MAX) {
    out.push({
      type: "actions",
      elements: topics.slice(i, i + ACTIONS_MAX).map((t) => button(t.title, ACTION.related, t.id)),
    });
  }
  return out;
}

export interface RenderOptions {
  /** offer "Share in channel" (answers only, where the reply was shown privately) */
  share?: boolean;
}

/** The whole reply as Block Kit, plus the plain text Slack shows in notifications. */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage {
  const text = clip(escapeMrkdwn(reply.text), 3000);
  const blocks: Block[] = [];
  switch (reply.kind) {
    case "answer": {
      blocks.push(section(`*${escapeMrkdwn(reply.title ?? "")}*\n${escapeMrkdwn(reply.answer ?? "")}`));
      for (const note of reply.notes) blocks.push(context(escapeMrkdwn(note)));
      if (reply.source) blocks.push(context(`Source: ${escapeMrkdwn(sourceText(reply.source))}`));
      // moderator guidance carries the region's lines to report to
      const lines = reply.resources.filter((r) => r.kind !== "emergency").map(serviceLine);
      if (lines.length > 0) blocks.push(section(lines.join("\n")));
      if (reply.related.length > 0) {
        blocks.push(context("Related topics:"), ...topicButtons(reply.related));
      }
      const feedback = [
        button("Helpful", ACTION.helpful, reply.factId ?? ""),
        button("Not helpful", ACTION.notHelpful, reply.factId ?? ""),
      ];
      // Sharing is for answers only: an urgent or refused message never gets a share button.
      if (options.share) feedback.push(button("Share in channel", ACTION.share, reply.factId ?? "", "primary"));
      blocks.push({ type: "actions", elements: feedback });
      break;
    }
    case "urgent": {
      // the emergency line first and on its own, bold
      const [emergency = "", ...rest] = reply.text.split("\n");
      blocks.push(section(`*${escapeMrkdwn(emergency)}*`));
      blocks.push(...sections(rest));
      break;
    }
    case "suggest":
    case "fallback": {
      const lines = reply.text.split("\n").filter((l) => !reply.suggestions.some((s) => l === `- ${s.title}`));
      const [intro = "", ...rest] = lines;
      blocks.push(section(escapeMrkdwn(intro)));
      blocks.push(...topicButtons(reply.suggestions));
      blocks.push(...sections(rest));
      break;
    }
    default: {
      if (reply.kind === "help" && reply.suggestions.length > 0) {
        const [intro = ""] = reply.text.split("\n");
        blocks.push(section(escapeMrkdwn(intro)), ...topicButtons(reply.suggestions));
      } else {
        blocks.push(...sections(reply.text.split("\n")));
      }
    }
  }
  return { text, blocks };
}

export interface HomeContent {
  help: string;
  topics: TopicGroup[];
  resources: Reply;
}

/** The App Home tab: what the bot does, how to ask, the topics, the region's resources. */
export function renderHome(content: HomeContent): { type: "home"; blocks: Block[] } {
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: "csec-factbot", emoji: false } },
    section(escapeMrkdwn(content.help)),
    { type: "divider" },
    section(
      "*How to ask*\n• `/csec what does CSEC stand for` (only you see the answer)\n• mention the bot in a channel; it replies in a thread\n• send it a direct message\n• `/csec topics`, `/csec define CSAM`, `/csec resources UK`",
    ),
    { type: "divider" },
    section("*Topics*"),
  ];
  for (const group of content.topics) {
    const name = `${group.tag[0]?.toUpperCase() ?? ""}${group.tag.slice(1)}`;
    blocks.push(context(`*${escapeMrkdwn(name)}*: ${escapeMrkdwn(group.topics.map((t) => t.title).join(" · "))}`));
  }
  blocks.push({ type: "divider" }, section("*Where to get help*"));
  const [emergency = ""] = content.resources.text.split("\n");
  blocks.push(section(`*${escapeMrkdwn(emergency)}*`));
  const lines = content.resources.resources.filter((r) => r.kind !== "emergency").map(serviceLine);
  for (let i = 0; i < lines.length; i += 10) blocks.push(section(lines.slice(i, i + 10).join("\n")));
  return { type: "home", blocks: blocks.slice(0, 100) };
}
