import type { Authorize } from "@slack/bolt";
import { webApi } from "@slack/bolt";
import type { Health } from "../../src/adapter.js";
import { describeError, type Logger } from "../../src/log.js";
import type { SlackConfig } from "./config.js";

/**
 * Who the bot is (auth.test), asked in the background, one call at a time, and remembered. An
 * incoming request never waits for it: Bolt runs `authorize` before it acks, and Slack allows 3 s.
 * Until the answer is in, requests are authorized with the token alone (slash commands need nothing
 * more); a failed or rate-limited call is tried again later, after Slack's Retry-After where given.
 */
/** Slack's answers that mean the bot token will never work again without a new one. */
const TOKEN_REJECTED = new Set(["invalid_auth", "token_revoked", "account_inactive", "not_authed"]);

export function singleWorkspaceAuthorize(
  config: SlackConfig,
  clientOptions: webApi.WebClientOptions,
  log: Logger,
  health?: Health,
): Authorize<boolean> {
  const client = new webApi.WebClient(config.botToken, {
    ...clientOptions,
    // a 429 is an error here, not a wait inside the call: the retry below is scheduled instead
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 3000,
  });
  let identity: { botId?: string; botUserId?: string; teamId?: string } | undefined;
  let asking = false;
  let notBefore = 0;
  const ask = () => {
    if (identity || asking || Date.now() < notBefore) return;
    asking = true;
    client.auth
      .test()
      .then((me) => {
        identity = { botId: me.bot_id, botUserId: me.user_id, teamId: me.team_id };
      })
      .catch((err: unknown) => {
        const platform = (err as { data?: { error?: unknown } }).data?.error;
        if (typeof platform === "string" && TOKEN_REJECTED.has(platform)) {
          health?.fail("slack", `SLACK_BOT_TOKEN rejected by Slack (${platform})`);
        }
        const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
        notBefore = Date.now() + (typeof retryAfter === "number" ? retryAfter * 1000 : 5000);
        log.warn({ event: "auth_test_failed", adapter: "slack", error: describeError(err) });
      })
      .finally(() => {
        asking = false;
      });
  };
  ask();
  return async () => {
    ask();
    return { botToken: config.botToken, ...identity };
  };
}
