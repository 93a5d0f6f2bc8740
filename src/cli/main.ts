/**
 * The `factbot` command line: ask, topics, define, resources, check. Curators use it to try questions
 * and to check the knowledge base; `ask --json` reads one question per line from stdin so a whole
 * list can be checked at once.
 */
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { engineFromEnv } from "../bootstrap.js";
import { ConfigError } from "../config.js";
import type { Engine } from "../engine/engine.js";
import { formatProblem, KnowledgeError, knowledgeDir as knowledgeDirOf, loadKnowledge } from "../knowledge/load.js";
import { parseRegion, REGION_CODES } from "../knowledge/regions.js";
import type { RegionCode } from "../knowledge/schema.js";
import { formatReport, type ReportFormat } from "../report-format.js";
import { openStore } from "../store/open.js";
import { checkKnowledge } from "./check.js";
import { safetyReport } from "./report-safety.js";
import { checkSafetyModel, trainSafetyModel, writeModel } from "./train.js";

const USAGE = `usage: factbot <command> [options]

commands:
  ask [QUESTION]        answer a question; with no QUESTION, one question per line from stdin
  topics                list the topics the bot knows
  define TERM           define a glossary term (CSEC, CSAM, SECTT, ...)
  resources [REGION]    the referral directory for US, UK, IE, AU, NZ, CA, EU or INTL
  check                 validate the knowledge base (exit 1 on any problem)
  train                 train the safety classifier on the corpus and choose its thresholds
  eval                  the safety figures on the frozen test fold (rules, classifier, both)
  report                what communities asked: usage, top facts, not helpful, unanswered
                        (the store: DATABASE_URL, else FACTBOT_DB, else data/factbot.db)

options:
  --json                print each reply as one JSON line
  --region REGION       the region for referrals (default FACTBOT_REGION, else INTL)
  --knowledge DIR       the knowledge folder (default KNOWLEDGE_DIR, else the shipped one)
  --since 30d           report: the days to cover (7d, 30d, ...; the store keeps texts 30 days)
  --community ID        report: one community (slack:T0123, discord:1234); default all
  --format FORMAT       report: text, json, csv or html (one self-contained page)
  -h, --help            this text`;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
}

/** --region: absent is the default; anything but a region code is an error naming the flag. */
function regionFlag(value: string | undefined): RegionCode | undefined {
  if (value === undefined) return undefined;
  const code = parseRegion(value);
  if (code) return code;
  throw new ConfigError(`region: must be one of ${REGION_CODES.join(", ")}`);
}

async function* lines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) if (line.trim() !== "") yield line;
}

export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      region: { type: "string" },
      knowledge: { type: "string" },
      since: { type: "string", default: "30d" },
      community: { type: "string" },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command || command === "help") {
    io.out(USAGE);
    return command || values.help ? 0 : 2;
  }
  const knowledgeDir = values.knowledge ?? knowledgeDirOf(io.env);

  if (command === "train") {
    const result = await trainSafetyModel(knowledgeDir);
    writeModel(knowledgeDir, result);
    io.out(
      `trained on ${result.manifest.rows.train} rows (dev fold ${result.manifest.rows.dev}) in ` +
        `${result.seconds.toFixed(1)} s (${result.cpuSeconds.toFixed(1)} s of CPU); model ${result.bytes.length} bytes; thresholds ` +
        JSON.stringify(result.manifest.thresholds),
    );
    return 0;
  }
  if (command === "eval") {
    io.out(await safetyReport(knowledgeDir));
    return 0;
  }

  if (command === "report") {
    const days = /^(\d{1,4})d$/.exec(values.since ?? "");
    if (!days) throw new ConfigError("since: must be a number of days such as 30d");
    const format = values.format as ReportFormat;
    if (!["text", "json", "csv", "html"].includes(format))
      throw new ConfigError("format: must be text, json, csv or html");
    const knowledge = loadKnowledge(knowledgeDir);
    const store = await openStore(io.env);
    try {
      const report = await store.report({
        since: new Date(Date.now() - Number(days[1]) * 86_400_000),
        ...(values.community ? { community: values.community } : {}),
      });
      const titles = new Map(knowledge.facts.map((f) => [f.id, f.title]));
      io.out(formatReport(report, format, titles, knowledge.replies.report.title).trimEnd());
    } finally {
      await store.close();
    }
    return 0;
  }

  if (command === "check") {
    const report = checkKnowledge(knowledgeDir);
    report.problems.push(...checkSafetyModel(knowledgeDir));
    for (const w of report.warnings) io.err(`warning: ${formatProblem(w)}`);
    for (const p of report.problems) io.err(`problem: ${formatProblem(p)}`);
    io.out(
      `checked ${report.facts} facts, ${report.questions} alternate questions, ${report.services} services: ` +
        `${report.problems.length} problem(s), ${report.warnings.length} warning(s)`,
    );
    return report.problems.length > 0 ? 1 : 0;
  }

  const engine: Engine = await engineFromEnv(io.env, knowledgeDir);
  const region = regionFlag(values.region) ?? engine.region;
  const print = (reply: { text: string }) => io.out(values.json ? JSON.stringify(reply) : `${reply.text}\n`);

  switch (command) {
    case "ask": {
      if (rest.length > 0) {
        print(engine.answer(rest.join(" "), { region }));
        return 0;
      }
      for await (const line of lines(io.stdin)) print(engine.answer(line, { region }));
      return 0;
    }
    case "topics": {
      const groups = engine.topics();
      if (values.json) io.out(JSON.stringify(groups));
      else for (const g of groups) io.out(`${g.tag}\n${g.topics.map((t) => `  - ${t.title}`).join("\n")}\n`);
      return 0;
    }
    case "define": {
      if (rest.length === 0) {
        io.out(
          `terms: ${engine
            .glossaryTerms()
            .map((g) => g.term)
            .join(", ")}`,
        );
        return 0;
      }
      const reply = engine.define(rest.join(" "), region);
      print(reply);
      // a term not in the glossary is an error for scripts (the reply says so and lists the nearest)
      return reply.kind === "answer" ? 0 : 1;
    }
    case "resources": {
      print(engine.resources(regionFlag(rest[0]) ?? region));
      return 0;
    }
    default:
      io.err(`factbot: unknown command '${command}'\n\n${USAGE}`);
      return 2;
  }
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  // A closed pipe (`factbot ask --json < list | head`) is not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
  const io: Io = {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
    stdin: process.stdin,
    env: process.env,
  };
  try {
    process.exitCode = await run(argv, io);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof KnowledgeError) {
      io.err(`factbot: ${err.message}`);
      process.exitCode = 1;
    } else if ((err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`factbot: ${(err as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      throw err;
    }
  }
}
