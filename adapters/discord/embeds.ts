/**
 * Reply -> Discord message payload, as a pure function of the Reply's fields (never its text): one
 * embed (title, answer, lines to call, source in the footer), buttons for suggestions, related topics,
 * topic groups, feedback and sharing, and mentions that ping nobody.
 */

import type { RegionChoice } from "../../src/adapter.js";
import {
  contactText,
  fill,
  type ReferralGroup,
  type Reply,
  type ResourceRef,
  sourceText,
} from "../../src/engine/reply.js";
import type { Replies } from "../../src/knowledge/schema.js";
import { encodeId, PREFIX } from "./components/ids.js";

// Discord's limits
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 4096;
const FOOTER_MAX = 2048;
const LABEL_MAX = 80;
const ROW_MAX = 5;
const ROWS_MAX = 5;
/** the catalogue's share of a description, leaving room for the lead line */
const CATALOGUE_MAX = 3800;

export const EPHEMERAL = 64; // MessageFlags.Ephemeral

const COLOURS: Record<Reply["kind"], number> = {
  answer: 0x1d3557,
  suggest: 0x457b9d,
  fallback: 0x6c757d,
  help: 0x457b9d,
  urgent: 0xc1121f,
  refusal: 0x6a040f,
  resources: 0x2a9d8f,
  check_in: 0xe76f51,
};

/** The copy renderers need: replies.yaml's labels and button words. */
export type RenderCopy = Pick<Replies, "ui" | "source_line" | "related_line" | "region_picker">;

export interface ButtonJSON {
  type: 2;
  style: 1 | 2 | 3;
  label: string;
  custom_id: string;
}

export interface MessagePayload {
  content?: string;
  embeds: {
    title?: string;
    description: string;
    color: number;
    footer?: { text: string };
  }[];
  components: { type: 1; components: ButtonJSON[] }[];
  /** discord.js's spelling of the API's allowed_mentions: nobody is pinged, not even a replied-to user */
  allowedMentions: { parse: []; repliedUser: false };
  flags?: number;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Mentions cannot ping with allowed_mentions.parse empty; this also keeps them from rendering as one. */
export function defuse(text: string): string {
  return text.replace(/@(everyone|here)/g, "@\u200b$1").replace(/<(@[!&]?|#)(\d+)>/g, "<$1\u200b$2>");
}

function button(label: string, customId: string, style: 1 | 2 | 3 = 2): ButtonJSON {
  return { type: 2, style, label: clip(label, LABEL_MAX), custom_id: customId };
}

function rows(buttons: ButtonJSON[]): MessagePayload["components"] {
  const out: MessagePayload["components"] = [];
  for (let i = 0; i < buttons.length; i += ROW_MAX) out.push({ type: 1, components: buttons.slice(i, i + ROW_MAX) });
  return out;
}

function serviceLine(s: ResourceRef, purpose: boolean): string {
  return `• **${s.name}**${purpose ? ` (${s.for})` : ""}: ${contactText(s)}`;
}

function groupText(g: ReferralGroup): string {
  return [
    ...(g.emergency ? [`**${g.emergency}**`] : []),
    ...(g.heading ? [g.heading] : []),
    ...g.services.map((s) => serviceLine(s, g.purpose)),
  ].join("\n");
}

export interface EmbedOptions {
  /** show only to the person who asked (interactions only) */
  ephemeral?: boolean;
  /** offer "Share in channel" (answers shown privately) */
  share?: boolean;
  /** region buttons, where the server has not set its region */
  regions?: RegionChoice[];
}

/** Safety replies open with their lead line in bold (the emergency number, the refusal). */
const BOLD_LEAD = new Set<Reply["kind"]>(["urgent", "refusal", "check_in"]);

/**
 * The topic catalogue as paragraphs: every group with its topics where that fits one embed, else each
 * group's name and count with a button per group (every topic's title took 6,833 characters in round
 * 11, and Discord cut the list at 4,096).
 */
function catalogueParts(reply: Reply, ui: RenderCopy["ui"]): { paragraphs: string[]; buttons: ButtonJSON[] } {
  const full = reply.catalogue.map((g) => `**${g.name}**: ${g.topics.map((t) => t.title).join(" · ")}`);
  if (full.join("\n\n").length <= CATALOGUE_MAX) return { paragraphs: full, buttons: [] };
  return {
    paragraphs: [reply.catalogue.map((g) => `**${g.name}** (${g.topics.length})`).join("\n"), ui.topics_pick],
    buttons: reply.catalogue.map((g) => button(g.name, encodeId(PREFIX.topics, g.name))),
  };
}

export function renderReply(reply: Reply, copy: RenderCopy, options: EmbedOptions = {}): MessagePayload {
  const ui = copy.ui;
  const catalogue = catalogueParts(reply, ui);
  const local = reply.referrals.filter((g) => g.region !== "INTL");
  const international = reply.referrals.filter((g) => g.region === "INTL");
  const n = reply.nextSteps;
  const paragraphs = [
    ...(reply.lead ? [BOLD_LEAD.has(reply.kind) ? `**${reply.lead}**` : reply.lead] : []),
    ...(reply.answer ? [reply.answer] : []),
    ...reply.notes.map((note) => `*${note}*`),
    ...reply.body,
    ...(reply.bullets.length > 0 ? [reply.bullets.map((b) => `• ${b}`).join("\n")] : []),
    ...catalogue.paragraphs,
    ...local.map(groupText),
    ...(n ? [[`**${n.title}**`, ...n.steps.map((s) => `• ${s}`), ...(n.contact ? [n.contact] : [])].join("\n")] : []),
    ...international.map(groupText),
    ...reply.footer,
    ...(options.regions && options.regions.length > 0 ? [copy.region_picker] : []),
  ];
  const footer = reply.source ? fill(copy.source_line, { document: sourceText(reply.source) }) : undefined;

  // Buttons: suggested or related topics first (at most four rows), then feedback for answers.
  const topics = [
    ...catalogue.buttons,
    ...[...reply.suggestions, ...reply.related].map((t) => button(t.title, encodeId(PREFIX.related, t.id))),
  ];
  const actions: ButtonJSON[] = [];
  if (reply.kind === "answer" && reply.factId) {
    actions.push(
      button(ui.helpful, encodeId(PREFIX.helpful, reply.factId)),
      button(ui.not_helpful, encodeId(PREFIX.notHelpful, reply.factId)),
    );
    // Sharing is for answers only: never for an urgent or refused message.
    if (options.share) actions.push(button(ui.share, encodeId(PREFIX.share, reply.factId), 1));
  }
  // region buttons replace topic buttons (a reply with lines to call has no topics)
  const regionButtons = (options.regions ?? []).map((r) => button(r.name, encodeId(PREFIX.region, r.value)));
  const components = [
    ...rows(regionButtons.length > 0 ? regionButtons : topics).slice(0, actions.length > 0 ? ROWS_MAX - 1 : ROWS_MAX),
    ...(actions.length > 0 ? [{ type: 1 as const, components: actions }] : []),
  ];
  return {
    embeds: [
      {
        ...(reply.title ? { title: clip(defuse(reply.title), TITLE_MAX) } : {}),
        description: clip(defuse(paragraphs.join("\n\n")), DESCRIPTION_MAX),
        color: COLOURS[reply.kind],
        ...(footer ? { footer: { text: clip(defuse(footer), FOOTER_MAX) } } : {}),
      },
    ],
    components,
    allowedMentions: { parse: [], repliedUser: false },
    ...(options.ephemeral ? { flags: EPHEMERAL } : {}),
  };
}
