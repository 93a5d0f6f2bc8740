/**
 * Configuration from the environment, validated with zod at start. A missing or malformed value stops
 * the bot with one line naming the variable and what is wrong; values are never printed, because some
 * of them are secrets.
 */
import { z } from "zod";
import { RegionCodeSchema } from "./knowledge/schema.js";

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
    .transform((v) => v.trim().toUpperCase())
    .pipe(z.enum(RegionCodeSchema.options, { error: `must be one of ${RegionCodeSchema.options.join(", ")}` }))
    .default("INTL"),
  FACTBOT_SAFEGUARDING_CONTACT: z.string().trim().max(300, "must be at most 300 characters").optional(),
  KNOWLEDGE_DIR: z.string().optional(),
});

export type EngineEnv = z.infer<typeof EngineEnvSchema>;
