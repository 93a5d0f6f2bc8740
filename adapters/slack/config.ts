/** Slack's configuration, validated at start: one clear line per bad variable, never a value. */
import { z } from "zod";
import { parseEnv, portSchema } from "../../src/config.js";

const SlackEnvSchema = z
  .object({
    SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, "must be a bot token starting with xoxb-"),
    SLACK_APP_TOKEN: z
      .string()
      .regex(/^xapp-/, "must be an app-level token starting with xapp-")
      .optional(),
    SLACK_SIGNING_SECRET: z.string().min(1).optional(),
    PORT: portSchema.default(3000),
    SLACK_API_URL: z
      .url({ error: "must be a URL such as https://slack.com/api/" })
      .transform((u) => (u.endsWith("/") ? u : `${u}/`))
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (!env.SLACK_APP_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SLACK_SIGNING_SECRET"],
        message: "is required in HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)",
      });
    }
  });

export type SlackConfig = {
  botToken: string;
  mode: "socket" | "http";
  appToken?: string;
  signingSecret?: string;
  port: number;
  apiUrl?: string;
};

export function slackConfigFromEnv(env: Record<string, string | undefined>): SlackConfig {
  const e = parseEnv(SlackEnvSchema, env);
  return {
    botToken: e.SLACK_BOT_TOKEN,
    mode: e.SLACK_APP_TOKEN ? "socket" : "http",
    appToken: e.SLACK_APP_TOKEN,
    signingSecret: e.SLACK_SIGNING_SECRET,
    port: e.PORT,
    apiUrl: e.SLACK_API_URL,
  };
}
