/**
 * Configuration from the environment, validated with zod at start. A missing or malformed value stops
 * the bot with one line naming the variable and what is wrong; values are never printed, because some
 * of them are secrets.
 */
import { z } from "zod";
import { parseRegion, REGION_CODES } from "./knowledge/regions.js";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Empty strings count as unset: `FOO= npm start` should behave like no FOO at all. */
function present(env: Env): Env {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""));
}

/** Parse env with a schema; on failure, one line per variable, naming it and the reason only. */
export function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  const result = schema.safeParse(present(env));
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`);
  throw new ConfigError(`configuration error: ${lines.join("; ")}`);
}

export const EngineEnvSchema = z.object({
  FACTBOT_REGION: z
    .string()
    .transform((v, ctx) => {
      const code = parseRegion(v);
      if (!code) ctx.addIssue({ code: "custom", message: `must be one of ${REGION_CODES.join(", ")}` });
      return code ?? "INTL";
    })
    .default("INTL"),
  FACTBOT_SAFEGUARDING_CONTACT: z.string().trim().max(300, "must be at most 300 characters").optional(),
  /** read by knowledgeDir() in src/knowledge/load.ts; listed here so a misspelling is caught */
  KNOWLEDGE_DIR: z.string().optional(),
});

export type EngineEnv = z.infer<typeof EngineEnvSchema>;

/** A port, decimal digits only: Number() would read "0x50" as port 80. */
export const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, "must be a port number (decimal digits)")
  .transform(Number)
  .pipe(z.number().max(65535, "must be a port number (0 to 65535)"));

/** What the process around the adapters reads: where to serve health and metrics, the rate limit. */
export const ProcessEnvSchema = z.object({
  HEALTH_PORT: portSchema.optional(),
  /** questions per member per community and minute; 0 turns the limit off */
  FACTBOT_RATE_LIMIT: z
    .string()
    .regex(/^\d{1,4}$/, "must be a number of questions a minute (0 for no limit)")
    .transform(Number)
    .default(10),
});

/** Every variable the bot reads, to catch a misspelt one (README, Configuration). */
export const KNOWN_VARIABLES = [
  "FACTBOT_REGION",
  "FACTBOT_SAFEGUARDING_CONTACT",
  "FACTBOT_LOG_SALT",
  "FACTBOT_SHARDS",
  "FACTBOT_SHARD_IDS",
  "FACTBOT_SHARD_COUNT",
  "FACTBOT_RATE_LIMIT",
  "HEALTH_PORT",
  "FACTBOT_DB",
  "DATABASE_URL",
  "KNOWLEDGE_DIR",
  "PORT",
  "SLACK_BOT_TOKEN",
  "SLACK_APP_TOKEN",
  "SLACK_SIGNING_SECRET",
  "SLACK_API_URL",
  "DISCORD_TOKEN",
  "DISCORD_APPLICATION_ID",
  "DISCORD_API_URL",
  "DISCORD_GUILD_ID",
];

/**
 * With no adapter token set the bot opens the terminal chat; but a SLACK_, DISCORD_ or FACTBOT_
 * variable it does not know is almost always a misspelt token, and a chat on a server with no
 * terminal would exit 0 unnoticed. Such a variable stops the bot, named with the nearest known one.
 */
export function checkVariableNames(env: Env): void {
  const set = Object.keys(present(env));
  const unknown = set.filter((name) => /^(SLACK|DISCORD|FACTBOT)_/.test(name) && !KNOWN_VARIABLES.includes(name));
  if (unknown.length === 0) return;
  const nearest = (name: string) =>
    KNOWN_VARIABLES.filter((k) => k.split("_")[0] === name.split("_")[0]).sort(
      (a, b) => sharedParts(b, name) - sharedParts(a, name),
    )[0];
  const lines = unknown.map((name) => {
    const guess = nearest(name);
    return `${name}: not a variable the bot reads${guess ? ` (did you mean ${guess}?)` : ""}`;
  });
  throw new ConfigError(`configuration error: ${lines.join("; ")}`);
}

function sharedParts(a: string, b: string): number {
  const parts = new Set(a.split("_"));
  return b.split("_").filter((p) => parts.has(p)).length;
}
