/** Region codes: listed once, in the schema; parsed here only (CLI flags, env, chat commands). */
import { type RegionCode, RegionCodeSchema } from "./schema.js";

export const REGION_CODES: readonly RegionCode[] = RegionCodeSchema.options;

/** "uk", " UK " -> "UK"; anything else (or nothing) -> null. */
export function parseRegion(value: unknown): RegionCode | null {
  if (typeof value !== "string") return null;
  const parsed = RegionCodeSchema.safeParse(value.trim().toUpperCase());
  return parsed.success ? parsed.data : null;
}
