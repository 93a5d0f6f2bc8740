/**
 * Reply -> Discord message payload, as a pure function: one embed (title, answer, source in the
 * footer), buttons for related topics, feedback and sharing, and mentions that ping nobody.
 */
import { contactText } from "../../src/engine/compose.js";
import { type Reply, sourceText } from "../../src/engine/reply.js";

// Discord's limits
const TITLE_MAX = 256;
const DESCRIPTION_MAX = 4096;
const FOOTER_MAX = 2048;
const LABEL_MAX = 80;
const ROW_MAX = 5;
const ROWS_MAX = 5;

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

export const CUSTOM_ID = {
  related: "related",
  share: "share",
  helpful: "feedback:helpful",
  notHelpful: "feedback:not_helpful",
} as const;

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
  return { type: 2, style, label: clip(label, LABEL_MAX), custom_id: customId.slice(0, 100) };
}

function rows(buttons: ButtonJSON[]): MessagePayload["components"] {
  const out: MessagePayload["components"] = [];
  for (let i = 0; i < buttons.length && out.length < ROWS_MAX; i += ROW_MAX) {
    out.push({ type: 1, components: buttons.slice(i, i + ROW_MAX) });
  }
  return out;
}

export interface EmbedOptions {
  /** show only to the person who asked (interactions only) */
  ephemeral?: boolean;
  /** offer "Share in channel" (answers shown privately) */
  share?: boolean;
}

export function renderReply(reply: Reply, options: EmbedOptions = {}): MessagePayload {
  const lines = reply.text.split("\n");
  let title: string | undefined;
  let description: string;
  let footer: string | undefined;
  const buttons: ButtonJSON[] = [];

  if (reply.kind === "answer") {
    title = reply.title ?? undefined;
    // moderator guidance carries the region's lines to report to
    const report = reply.resources
      .filter((r) => r.kind !== "emergency")
      .map((r) => `• **${r.name}**: ${contactText(r)}`);
    description = [
      reply.answer ?? "",
      ...reply.notes.map((n) => `*${n}*`),
      ...(report.length ? [report.join("\n")] : []),
    ].join("\n\n");
    footer = reply.source ? `Source: ${sourceText(reply.source)}` : undefined;
    for (const r of reply.related.slice(0, 10)) buttons.push(button(r.title, `${CUSTOM_ID.related}:${r.id}`));
    const id = reply.factId ?? "";
    const actions = [
      button("Helpful", `${CUSTOM_ID.helpful}:${id}`),
      button("Not helpful", `${CUSTOM_ID.notHelpful}:${id}`),
    ];
    // Sharing is for answers only: never for an urgent or refused message.
    if (options.share) actions.push(button("Share in channel", `${CUSTOM_ID.share}:${id}`, 1));
    const components = [...rows(buttons).slice(0, ROWS_MAX - 1), { type: 1 as const, components: actions }];
    return payload(title, description, footer, reply, components, options);
  }
  if (reply.kind === "urgent") {
    // the emergency line first, bold
    const [emergency = "", ...rest] = lines;
    description = [`**${emergency}**`, ...rest].join("\n");
  } else if (
    reply.kind === "suggest" ||
    reply.kind === "fallback" ||
    (reply.kind === "help" && reply.suggestions.length > 0)
  ) {
    description = lines.filter((l) => !reply.suggestions.some((s) => l === `- ${s.title}`)).join("\n");
    if (reply.kind !== "help") {
      for (const s of reply.suggestions) buttons.push(button(s.title, `${CUSTOM_ID.related}:${s.id}`));
    }
  } else {
    description = lines.join("\n");
  }
  return payload(title, description, footer, reply, rows(buttons), options);
}

function payload(
  title: string | undefined,
  description: string,
  footer: string | undefined,
  reply: Reply,
  components: MessagePayload["components"],
  options: EmbedOptions,
): MessagePayload {
  return {
    embeds: [
      {
        ...(title ? { title: clip(defuse(title), TITLE_MAX) } : {}),
        description: clip(defuse(description), DESCRIPTION_MAX),
        color: COLOURS[reply.kind],
        ...(footer ? { footer: { text: clip(defuse(footer), FOOTER_MAX) } } : {}),
      },
    ],
    components,
    allowedMentions: { parse: [], repliedUser: false },
    ...(options.ephemeral ? { flags: EPHEMERAL } : {}),
  };
}
