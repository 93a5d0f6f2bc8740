/**
 * Every listener, registered in one place (as in slack-samples/bolt-ts-starter-template): one folder
 * per kind of Slack payload, one `register(app, ctx)` per file. `KNOWN_IDS` is what the unknown-id
 * guard in app.ts lets through.
 */
import type { App } from "@slack/bolt";
import { ACTION } from "../blocks.js";
import { ACTIONS, register as actions } from "./actions/index.js";
import { register as admin, SETTINGS_VIEW } from "./admin.js";
import { register as csec } from "./commands/csec.js";
import type { ListenerContext } from "./context.js";
import { register as appHomeOpened } from "./events/app-home-opened.js";
import { register as appMention } from "./events/app-mention.js";
import { register as directMessage } from "./events/direct-message.js";
import { SHORTCUT_SEND_RESOURCES, register as sendResources } from "./shortcuts/send-resources.js";

export const KNOWN_IDS = {
  block_actions: new Set<string>(Object.keys(ACTIONS)),
  message_action: new Set<string>([SHORTCUT_SEND_RESOURCES]),
  shortcut: new Set<string>(),
  view_submission: new Set<string>([SETTINGS_VIEW]),
};

/** Ids known by their prefix: one per region button. */
export const KNOWN_PREFIXES = { block_actions: [`${ACTION.pickRegion}:`] } as const;

export function registerListeners(app: App, ctx: ListenerContext): void {
  for (const register of [csec, appMention, directMessage, appHomeOpened, actions, sendResources, admin])
    register(app, ctx);
}
