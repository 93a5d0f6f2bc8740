/**
 * For workspace admins and owners only (checked with users.info on every request, never trusted from
 * the payload): `/csec settings` opens a modal; `/csec report` and the App Home show the report.
 */
import type { App, RespondFn, types, webApi } from "@slack/bolt";
import { formatReport } from "../../../src/report-format.js";
import type { CommunitySettings } from "../../../src/store/store.js";
import { escapeMrkdwn } from "../blocks.js";
import type { ListenerContext } from "./context.js";

export const SETTINGS_VIEW = "community_settings";

interface Admin {
  team: string;
  user: string;
  triggerId: string;
}

export async function isAdmin(client: webApi.WebClient, user: string): Promise<boolean> {
  try {
    const info = await client.users.info({ user });
    return info.user?.is_admin === true || info.user?.is_owner === true;
  } catch {
    return false;
  }
}

function settingsView(ctx: ListenerContext, team: string, s: CommunitySettings): types.ModalView {
  const regions = Object.entries(ctx.engine.knowledge.resources.regions).map(([code, r]) => ({
    text: { type: "plain_text" as const, text: `${r.name} (${code})` },
    value: code,
  }));
  const current = regions.find((o) => o.value === s.region);
  const check = (value: string, text: string) => ({ text: { type: "plain_text" as const, text }, value });
  const copy = ctx.engine.knowledge.replies.settings;
  const alertPrivate = check("yes", copy.alert_private);
  const collect = check("yes", copy.collect);
  return {
    type: "modal",
    callback_id: SETTINGS_VIEW,
    private_metadata: team,
    title: { type: "plain_text", text: copy.title.slice(0, 24) },
    submit: { type: "plain_text", text: copy.save },
    blocks: [
      {
        type: "input",
        block_id: "region",
        optional: true,
        label: { type: "plain_text", text: copy.region },
        element: {
          type: "static_select",
          action_id: "value",
          options: regions,
          ...(current ? { initial_option: current } : {}),
        },
      },
      {
        type: "input",
        block_id: "contact",
        optional: true,
        label: { type: "plain_text", text: copy.contact },
        element: {
          type: "plain_text_input",
          action_id: "value",
          max_length: 300,
          ...(s.safeguardingContact ? { initial_value: s.safeguardingContact } : {}),
        },
      },
      {
        type: "input",
        block_id: "alert_channel",
        optional: true,
        label: { type: "plain_text", text: copy.alert_channel },
        element: {
          type: "conversations_select",
          action_id: "value",
          ...(s.alertChannel ? { initial_conversation: s.alertChannel } : {}),
        },
      },
      {
        type: "input",
        block_id: "options",
        optional: true,
        label: { type: "plain_text", text: copy.options },
        element: {
          type: "checkboxes",
          action_id: "value",
          options: [
            { ...alertPrivate, value: "alert_private" },
            { ...collect, value: "collect" },
          ],
          ...(s.alertPrivate || s.collectUnanswered
            ? {
                initial_options: [
                  ...(s.alertPrivate ? [{ ...alertPrivate, value: "alert_private" }] : []),
                  ...(s.collectUnanswered ? [{ ...collect, value: "collect" }] : []),
                ],
              }
            : {}),
        },
      },
    ],
  } as types.ModalView;
}

export async function openSettings(
  ctx: ListenerContext,
  client: webApi.WebClient,
  respond: RespondFn,
  admin: Admin,
): Promise<void> {
  const copy = ctx.engine.knowledge.replies.settings;
  if (!ctx.communities.store) {
    await respond({ response_type: "ephemeral", text: copy.no_store });
    return;
  }
  if (!(await isAdmin(client, admin.user))) {
    await respond({ response_type: "ephemeral", text: copy.not_admin });
    return;
  }
  const settings = await ctx.communities.settings({ platform: "slack", community: admin.team, private: true });
  try {
    await client.views.open({ trigger_id: admin.triggerId, view: settingsView(ctx, admin.team, settings) });
  } catch (err) {
    ctx.failed("settings_open", err);
  }
}

/** The workspace's last 30 days, as text for Slack. */
async function reportText(ctx: ListenerContext, team: string): Promise<string> {
  const store = ctx.communities.store;
  const replies = ctx.engine.knowledge.replies.report;
  if (!store) return ctx.engine.knowledge.replies.settings.no_store;
  const report = await store.report({ since: new Date(Date.now() - 30 * 86_400_000), community: `slack:${team}` });
  if (report.total === 0) return replies.empty;
  const titles = new Map(ctx.engine.allFacts().map((f) => [f.id, f.title]));
  return formatReport(report, "text", titles, replies.title);
}

export async function sendReport(
  ctx: ListenerContext,
  client: webApi.WebClient,
  respond: RespondFn,
  admin: Admin,
): Promise<void> {
  if (!(await isAdmin(client, admin.user))) {
    await respond({ response_type: "ephemeral", text: ctx.engine.knowledge.replies.settings.not_admin });
    return;
  }
  const text = await reportText(ctx, admin.team);
  await respond({ response_type: "ephemeral", text: `\`\`\`${escapeMrkdwn(text).slice(0, 2900)}\`\`\`` });
}

/** Blocks for the App Home: the report, for admins. */
export async function homeReportBlocks(ctx: ListenerContext, team: string | undefined) {
  if (!team) return [];
  const text = await reportText(ctx, team).catch(() => "");
  if (!text) return [];
  return [
    { type: "divider" },
    { type: "section", text: { type: "mrkdwn", text: `\`\`\`${escapeMrkdwn(text).slice(0, 2900)}\`\`\`` } },
  ];
}

type Values = Record<
  string,
  Record<
    string,
    {
      selected_option?: { value: string } | null;
      value?: string | null;
      selected_conversation?: string | null;
      selected_options?: { value: string }[];
    }
  >
>;

export function register(app: App, ctx: ListenerContext): void {
  app.view(SETTINGS_VIEW, async ({ ack, body, view, client }) => {
    const copy = ctx.engine.knowledge.replies.settings;
    // the submitter is checked again: the modal could be old, or the payload forged
    if (!(await isAdmin(client, body.user.id))) {
      await ack({ response_action: "errors", errors: { region: copy.not_admin } });
      return;
    }
    const values = view.state.values as unknown as Values;
    const options = new Set((values.options?.value?.selected_options ?? []).map((o) => o.value));
    const region = values.region?.value?.selected_option?.value ?? null;
    const team = body.team?.id ?? view.private_metadata;
    const saved = await ctx.communities.save(
      { platform: "slack", community: team, private: true },
      {
        region:
          region && region in ctx.engine.knowledge.resources.regions ? (region as CommunitySettings["region"]) : null,
        safeguardingContact: values.contact?.value?.value?.trim().slice(0, 300) || null,
        alertChannel: values.alert_channel?.value?.selected_conversation ?? null,
        alertPrivate: options.has("alert_private"),
        collectUnanswered: options.has("collect"),
      },
    );
    // saved before the modal closes, so what the admin sees next is what is stored
    await ack(saved ? undefined : { response_action: "errors", errors: { region: copy.no_store } });
    ctx.log.info({ event: "settings_saved", adapter: "slack", ok: saved !== null });
  });
}
