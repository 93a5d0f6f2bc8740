/**
 * Reply -> Block Kit, as pure functions of the Reply's fields (never its text). Every string is
 * escaped for mrkdwn (&, <, >), so nothing the bot posts can form <!channel>, <!here>, <!everyone>
 * or a user mention, whatever the knowledge says.
 */
import type { RegionChoice } from "../../src/adapter.js";
import type { TopicGroup } from "../../src/engine/engine.js";
import {
  contactText,
  fill,
  plainText,
  type ReferralGroup,
  type Reply,
  type ResourceRef,
  sourceText,
  type TopicRef,
} from "../../src/engine/reply.js";
import type { Replies } from "../../src/knowledge/schema.js";

// Block Kit's limits
const SECTION_MAX = 3000;
const BUTTON_TEXT_MAX = 75;
const ACTIONS_MAX = 25;
const BLOCKS_MAX = 50;

export const ACTION = {
  share: "share_answer",
  related: "related_topic",
  helpful: "feedback_helpful",
  notHelpful: "feedback_not_helpful",
  /** one per region button ("pick_region:UK"): action ids must differ within a message */
  pickRegion: "pick_region",
} as const;

// biome-ignore lint/suspicious/noExplicitAny: Block Kit blocks are plain JSON objects
export type Block = Record<string, any>;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** The copy renderers need: replies.yaml's labels and button words. */
export type RenderCopy = Pick<Replies, "ui" | "source_line" | "related_line" | "region_picker">;

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

/** Sections of at most SECTION_MAX characters, split between lines (lines are already escaped). */
function sections(lines: string[]): Block[] {
  const out: Block[] = [];
  let current = "";
  for (const line of lines) {
    if (current && current.length + line.length + 1 > SECTION_MAX) {
      out.push(section(current));
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  return out;
}

function serviceLine(s: ResourceRef, purpose = false): string {
  const what = purpose ? ` (${escapeMrkdwn(s.for)})` : "";
  return `• *${escapeMrkdwn(s.name)}*${what}: ${escapeMrkdwn(contactText(s))}`;
}

function topicButtons(topics: TopicRef[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < topics.length; i += ACTIONS_MAX) {
    out.push({
      type: "actions",
      elements: topics.slice(i, i + ACTIONS_MAX).map((t) => button(t.title, ACTION.related, t.id)),
    });
  }
  return out;
}

/** A referral group: the emergency line bold, then the heading and one line per service. */
function referralBlocks(g: ReferralGroup): Block[] {
  return sections([
    ...(g.emergency ? [`*${escapeMrkdwn(g.emergency)}*`] : []),
    ...(g.heading ? [escapeMrkdwn(g.heading)] : []),
    ...g.services.map((s) => serviceLine(s, g.purpose)),
  ]);
}

export interface RenderOptions {
  /** offer "Share in channel" (answers only, where the reply was shown privately) */
  share?: boolean;
  /** region buttons, where the community has not set its region */
  regions?: RegionChoice[];
}

/** Safety replies open with their lead line in bold (the emergency number, the refusal). */
const BOLD_LEAD = new Set<Reply["kind"]>(["urgent", "refusal", "check_in"]);

/** The whole reply as Block Kit, plus the plain text Slack shows in notifications. */
export function renderReply(reply: Reply, copy: RenderCopy, options: RenderOptions = {}): SlackMessage {
  const ui = copy.ui;
  const blocks: Block[] = [];
  if (reply.lead) {
    const lead = escapeMrkdwn(reply.lead);
    blocks.push(section(BOLD_LEAD.has(reply.kind) ? `*${lead}*` : lead));
  }
  if (reply.title || reply.answer) {
    const title = reply.title ? `*${escapeMrkdwn(reply.title)}*` : "";
    blocks.push(section([title, escapeMrkdwn(reply.answer ?? "")].filter(Boolean).join("\n")));
  }
  for (const note of reply.notes) blocks.push(context(escapeMrkdwn(note)));
  blocks.push(...sections(reply.body.map(escapeMrkdwn)));
  if (reply.bullets.length > 0) blocks.push(...sections(reply.bullets.map((b) => `• ${escapeMrkdwn(b)}`)));
  blocks.push(...topicButtons(reply.suggestions));
  for (const group of reply.catalogue) {
    blocks.push(context(`*${escapeMrkdwn(group.name)}*`), ...topicButtons(group.topics));
  }
  const local = reply.referrals.filter((g) => g.region !== "INTL");
  const international = reply.referrals.filter((g) => g.region === "INTL");
  for (const g of local) blocks.push(...referralBlocks(g));
  if (reply.nextSteps) {
    const n = reply.nextSteps;
    blocks.push(
      ...sections([
        `*${escapeMrkdwn(n.title)}*`,
        ...n.steps.map((s) => `• ${escapeMrkdwn(s)}`),
        ...(n.contact ? [escapeMrkdwn(n.contact)] : []),
      ]),
    );
  }
  for (const g of international) blocks.push(...referralBlocks(g));
  for (const line of reply.footer) blocks.push(context(escapeMrkdwn(line)));
  if (options.regions && options.regions.length > 0) {
    blocks.push(context(escapeMrkdwn(copy.region_picker)));
    blocks.push({
      type: "actions",
      elements: options.regions
        .slice(0, ACTIONS_MAX)
        .map((r) => button(r.name, `${ACTION.pickRegion}:${r.code}`, r.value)),
    });
  }
  if (reply.source) {
    blocks.push(context(escapeMrkdwn(fill(copy.source_line, { document: sourceText(reply.source) }))));
  }
  if (reply.related.length > 0) blocks.push(context(escapeMrkdwn(ui.related_label)), ...topicButtons(reply.related));
  if (reply.kind === "answer" && reply.factId) {
    const feedback = [
      button(ui.helpful, ACTION.helpful, reply.factId),
      button(ui.not_helpful, ACTION.notHelpful, reply.factId),
    ];
    // Sharing is for answers only: an urgent or refused message never gets a share button.
    if (options.share) feedback.push(button(ui.share, ACTION.share, reply.factId, "primary"));
    blocks.push({ type: "actions", elements: feedback });
  }
  // A message holds at most 50 blocks; only the topics catalogue comes near it (a test renders the
  // shipped base and checks every topic still has its button).
  return { text: clip(escapeMrkdwn(plainText(reply, copy)), SECTION_MAX), blocks: blocks.slice(0, BLOCKS_MAX) };
}

export interface HomeContent {
  topics: TopicGroup[];
  resources: Reply;
  help: Reply;
}

/** The App Home tab: what the bot does, how to ask, the topics, the region's resources. */
export function renderHome(content: HomeContent, copy: RenderCopy): { type: "home"; blocks: Block[] } {
  const ui = copy.ui;
  const blocks: Block[] = [
    { type: "header", text: { type: "plain_text", text: ui.home_title, emoji: false } },
    section(escapeMrkdwn(content.help.lead ?? "")),
    { type: "divider" },
    section(
      [`*${escapeMrkdwn(ui.home_ask_title)}*`, ...ui.home_how_to_ask.map((l) => `• ${escapeMrkdwn(l)}`)].join("\n"),
    ),
  ];
  blocks.push({ type: "divider" }, section(`*${escapeMrkdwn(ui.home_topics)}*`));
  for (const group of content.topics) {
    const name = `${group.tag[0]?.toUpperCase() ?? ""}${group.tag.slice(1)}`;
    blocks.push(context(`*${escapeMrkdwn(name)}*: ${escapeMrkdwn(group.topics.map((t) => t.title).join(" · "))}`));
  }
  blocks.push({ type: "divider" }, section(`*${escapeMrkdwn(ui.home_help)}*`));
  for (const g of content.resources.referrals) blocks.push(...referralBlocks(g));
  // no silent cut here: a test renders the shipped base and holds it to Slack's limit
  return { type: "home", blocks };
}
