/**
 * Reads knowledge/ from disk and validates it. Every problem is reported with the file, the field and
 * what is wrong, and all of them are reported at once, so a curator fixes a file in one pass.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { load as parseYaml, YAMLException } from "js-yaml";
import type { z } from "zod";
import {
  DocumentListSchema,
  FactFileSchema,
  GlossarySchema,
  type Knowledge,
  LanguageSchema,
  type ModelManifest,
  ModelManifestSchema,
  OlderTermsSchema,
  RepliesSchema,
  ResourcesSchema,
  SafetySchema,
} from "./schema.js";

/** Where the trained safety classifier lives inside a knowledge folder. */
export const SAFETY_MODEL = {
  manifest: "safety/model.yaml",
  bin: "safety/model.bin",
  factsBin: "safety/facts-model.bin",
  checkBin: "safety/answer-check.bin",
  gateBin: "safety/moderation-gate.bin",
  pickerBin: "safety/moderation-picker.bin",
  fitBin: "safety/moderation-fit.bin",
  taxonomy: "safety/taxonomy.yaml",
  corpus: "safety/corpus",
} as const;

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface Problem {
  file: string;
  field: string;
  message: string;
}

export class KnowledgeError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`knowledge has ${problems.length} problem(s):\n${problems.map(formatProblem).join("\n")}`);
    this.name = "KnowledgeError";
  }
}

export function formatProblem(p: Problem): string {
  return `${p.file}${p.field ? ` [${p.field}]` : ""}: ${p.message}`;
}

/** The knowledge/ folder shipped with the project, found from this file (compiled or not). */
export function shippedKnowledgeDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, "knowledge");
}

/**
 * The knowledge folder to load: KNOWLEDGE_DIR when it is set (the one place that variable is read),
 * else the shipped one.
 */
export function knowledgeDir(env: Record<string, string | undefined> = process.env): string {
  return env.KNOWLEDGE_DIR ? resolve(env.KNOWLEDGE_DIR) : shippedKnowledgeDir();
}

/** A zod issue path such as [3, "source", "quote"] as "[3].source.quote", with the fact id when known. */
function fieldName(path: PropertyKey[], data: unknown): string {
  let prefix = "";
  let rest = path;
  if (Array.isArray(data) && typeof path[0] === "number") {
    // a list of items with ids (facts, services): name the item by its id rather than its position
    const item = data[path[0]] as { id?: unknown } | undefined;
    if (item && typeof item.id === "string") {
      prefix = item.id;
      rest = path.slice(1);
    }
  }
  let out = "";
  for (const part of rest) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return prefix && out ? `${prefix}: ${out}` : prefix || out;
}

export interface LoadOptions {
  /** read the trained safety model too (false when training a new one: the old may be stale) */
  model?: boolean;
}

export class KnowledgeLoader {
  readonly problems: Problem[] = [];
  constructor(
    readonly dir: string,
    private readonly options: LoadOptions = {},
  ) {}

  private display(path: string): string {
    return relative(process.cwd(), path) || path;
  }

  private readText(path: string): string | undefined {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      this.problems.push({ file: this.display(path), field: "", message: `cannot read: ${(err as Error).message}` });
      return undefined;
    }
  }

  /** Parse one YAML file against a schema; on failure record every issue and return undefined. */
  readYaml<S extends z.ZodType>(path: string, schema: S): z.infer<S> | undefined {
    const raw = this.readText(path);
    if (raw === undefined) return undefined;
    let data: unknown;
    try {
      data = parseYaml(raw, { filename: path });
    } catch (err) {
      const where = err instanceof YAMLException ? `line ${err.mark.line + 1}` : "";
      const message = err instanceof YAMLException ? err.reason : "not valid YAML";
      this.problems.push({ file: this.display(path), field: where, message: `not valid YAML: ${message}` });
      return undefined;
    }
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      this.problems.push({ file: this.display(path), field: fieldName(issue.path, data), message: issue.message });
    }
    return undefined;
  }

  /**
   * The trained safety classifier, if the folder has one (a folder without model.yaml routes by rules
   * alone). The bytes must be the ones the manifest was written for.
   */
  readModel(dir: string): Knowledge["safetyModel"] {
    const manifestPath = join(dir, SAFETY_MODEL.manifest);
    if (!existsSync(manifestPath)) return null;
    const manifest: ModelManifest | undefined = this.readYaml(manifestPath, ModelManifestSchema);
    const bytes = this.readModelFile(join(dir, SAFETY_MODEL.bin), manifest?.model);
    const facts = this.readModelFile(join(dir, SAFETY_MODEL.factsBin), manifest?.facts_model);
    const answerCheck = this.readModelFile(join(dir, SAFETY_MODEL.checkBin), manifest?.answer_check_model);
    const moderationGate = this.readModelFile(join(dir, SAFETY_MODEL.gateBin), manifest?.moderation_gate_model);
    const moderationPicker = this.readModelFile(join(dir, SAFETY_MODEL.pickerBin), manifest?.moderation_picker_model);
    const moderationFit = this.readModelFile(join(dir, SAFETY_MODEL.fitBin), manifest?.moderation_fit_model);
    if (!manifest || !bytes || !facts || !answerCheck || !moderationGate || !moderationPicker || !moderationFit) {
      return null;
    }
    return { manifest, bytes, facts, answerCheck, moderationGate, moderationPicker, moderationFit };
  }

  /** A model file, checked against the SHA-256 the manifest gives for it. */
  private readModelFile(path: string, expected: string | undefined): Uint8Array | null {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      this.problems.push({ file: this.display(path), field: "", message: `cannot read: ${(err as Error).message}` });
      return null;
    }
    if (expected !== undefined && sha256(bytes) !== expected) {
      this.problems.push({
        file: this.display(path),
        field: "",
        message: `is not the model ${SAFETY_MODEL.manifest} describes (its SHA-256 differs): run npm run train`,
      });
      return null;
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  load(): Knowledge {
    const dir = this.dir;
    const documents = this.readYaml(join(dir, "sources/documents.yaml"), DocumentListSchema) ?? [];
    const sources = new Map<string, string>();
    for (const doc of documents) {
      const body = this.readText(join(dir, "sources", doc.file));
      if (body !== undefined) sources.set(doc.id, body);
    }

    const facts: Knowledge["facts"] = [];
    const factFiles = new Map<string, string>();
    const factDir = join(dir, "facts");
    let files: string[] = [];
    try {
      files = readdirSync(factDir).filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"));
    } catch (err) {
      this.problems.push({ file: this.display(factDir), field: "", message: `cannot list: ${(err as Error).message}` });
    }
    for (const file of files.sort()) {
      const path = join(factDir, file);
      for (const fact of this.readYaml(path, FactFileSchema) ?? []) {
        const earlier = factFiles.get(fact.id);
        if (earlier) {
          this.problems.push({
            file: this.display(path),
            field: `${fact.id}: id`,
            message: `id is already used in ${earlier}`,
          });
          continue;
        }
        factFiles.set(fact.id, this.display(path));
        facts.push(fact);
      }
    }

    const knowledge = {
      documents,
      sources,
      facts,
      factFiles,
      glossary: this.readYaml(join(dir, "glossary.yaml"), GlossarySchema),
      olderTerms: this.readYaml(join(dir, "older-terms.yaml"), OlderTermsSchema),
      language: this.readYaml(join(dir, "language.yaml"), LanguageSchema),
      resources: this.readYaml(join(dir, "resources.yaml"), ResourcesSchema),
      replies: this.readYaml(join(dir, "replies.yaml"), RepliesSchema),
      safety: this.readYaml(join(dir, "safety.yaml"), SafetySchema),
      safetyModel: this.options.model === false ? null : this.readModel(dir),
    };
    if (facts.length === 0 && files.length > 0 && this.problems.length === 0) {
      this.problems.push({ file: this.display(factDir), field: "", message: "no facts found" });
    }
    if (this.problems.length > 0) throw new KnowledgeError(this.problems);
    // Every optional read above succeeded, or a problem was recorded and we threw.
    return knowledge as Knowledge;
  }
}

/** Load and validate a knowledge folder; throws KnowledgeError listing every problem. */
export function loadKnowledge(dir: string = knowledgeDir()): Knowledge {
  return new KnowledgeLoader(dir).load();
}
