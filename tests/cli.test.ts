/** The CLI as curators and CI run it: a real child process through the installed bin. */
import { execFile, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { startConsoleChat } from "../adapters/console/chat.js";
import { ReplySchema } from "../src/engine/reply.js";
import { shippedKnowledgeDir } from "../src/knowledge/load.js";
import { openStore } from "../src/store/open.js";
import { engine } from "./helpers.js";

const BIN = join(import.meta.dirname, "..", "bin", "factbot.js");

function factbot(args: string[], input = "", env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe("factbot ask", () => {
  it("prints one JSON line of kind answer naming Commercial Sexual Exploitation of Children", async () => {
    const { code, stdout } = await factbot(["ask", "--json"], "what does csec stand for\n");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const reply = ReplySchema.parse(JSON.parse(lines[0] as string));
    expect(reply.kind).toBe("answer");
    expect(reply.text).toContain("Commercial Sexual Exploitation of Children");
  });

  it("answers each non-blank stdin line with exactly one JSON line, in order", async () => {
    const input = "im 15 and an older guy keeps offering me money for pics\n\n   \nwhat is child sex tourism\nhi\n";
    const { stdout } = await factbot(["ask", "--json"], input, { FACTBOT_REGION: "US" });
    const replies = stdout
      .trim()
      .split("\n")
      .map((l) => ReplySchema.parse(JSON.parse(l)));
    expect(replies.map((r) => r.kind)).toEqual(["urgent", "answer", "help"]);
    expect(replies[0]?.resources[0]?.contacts.phone).toBe("911");
    expect(replies[0]?.text.split("\n")[0]).toContain("911");
  });

  it("prints the reply text for a question on the command line", async () => {
    const { code, stdout } = await factbot(["ask", "what", "is", "a", "preferential", "offender"]);
    expect(code).toBe(0);
    expect(stdout).toContain("definite sexual preference for children");
    expect(stdout).toMatch(/^Source: /m);
  });

  it("rejects an unknown region with one clear line", async () => {
    const { code, stderr } = await factbot(["ask", "--region", "XX", "hi"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe("factbot: region: must be one of US, UK, IE, AU, NZ, CA, EU, INTL");
  });

  it("names the variable when FACTBOT_REGION is malformed", async () => {
    const { code, stderr } = await factbot(["ask", "hi"], "", { FACTBOT_REGION: "mars" });
    expect(code).toBe(1);
    expect(stderr).toContain("FACTBOT_REGION: must be one of US, UK, IE, AU, NZ, CA, EU, INTL");
  });
});

describe("factbot topics, define, resources, check", () => {
  it("lists topics, defines terms and prints the directory", async () => {
    const topics = await factbot(["topics"]);
    expect(topics.stdout).toContain("The preferential offender");
    const define = await factbot(["define", "SECTT"]);
    expect(define.stdout).toContain("travel and tourism");
    expect(define.code).toBe(0);
    const uk = await factbot(["resources", "uk"]);
    expect(uk.stdout.split("\n")[0]).toContain("999");
    expect(uk.stdout).toContain("Childline");
  });

  it("define says when a term is not in the glossary, lists the nearest terms, and exits 1", async () => {
    const grooming = await factbot(["define", "grooming"]);
    expect(grooming.code).toBe(0);
    expect(grooming.stdout.split("\n")[0]).toBe("What grooming is");
    const missing = await factbot(["define", "--json", "zzyzx flumph"]);
    expect(missing.code).toBe(1);
    const reply = ReplySchema.parse(JSON.parse(missing.stdout));
    expect(reply.kind).toBe("fallback");
    expect(reply.factId).toBeNull();
    expect(reply.text).toMatch(/isn't in my glossary/);
    expect(reply.text).not.toMatch(/zzyzx|flumph/);
  });

  it("check passes on the shipped base and prints a summary", async () => {
    const { code, stdout } = await factbot(["check"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/checked \d+ facts, \d+ alternate questions, \d+ services: 0 problem\(s\)/);
  });

  it("check fails on a broken base, naming the file and what is wrong (also via KNOWLEDGE_DIR)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "factbot-cli-"));
    cpSync(shippedKnowledgeDir(), dir, { recursive: true });
    const path = join(dir, "facts", "uncrc.yaml");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace(
        "related: [uncrc, uncrc-article-34, trafficking]",
        "related: [uncrc, article-99, trafficking]",
      ),
    );
    const viaFlag = await factbot(["check", "--knowledge", dir]);
    expect(viaFlag.code).toBe(1);
    expect(viaFlag.stderr).toMatch(
      /problem: .*uncrc\.yaml \[uncrc-article-35: related\]: no fact with id 'article-99'/,
    );
    const viaEnv = await factbot(["check"], "", { KNOWLEDGE_DIR: dir });
    expect(viaEnv.code).toBe(1);
  });

  it("runs through npm as the README says", async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const child = execFile("npm", ["run", "--silent", "factbot", "--", "ask", "--json"], (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      );
      child.stdin?.end("what does csec stand for\n");
    });
    expect(JSON.parse(out.trim()).kind).toBe("answer");
  });
});

describe("the terminal chat", () => {
  it("greets, answers each line as it reads in chat, and quits", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = "";
    output.on("data", (d) => {
      screen += d;
    });
    const done = startConsoleChat({ engine: engine({ region: "UK" }), input, output });
    input.write("what is csam\n");
    input.write("resources\n");
    input.write("my 12 year old son told me a man gave him money for photos\n");
    input.write("quit\n");
    await done;
    expect(screen).toContain("csec-factbot: ask a question");
    expect(screen).toContain("factbot (answer):\n  Child sexual abuse material (CSAM)");
    expect(screen).toContain("factbot (resources):\n  If a child is in immediate danger, call 999 now.");
    expect(screen).toContain("factbot (urgent):\n  If a child is in immediate danger, call 999 now.");
  });
});

describe("factbot report", () => {
  it("reports real counts from the store, as text, JSON, CSV or one self-contained HTML page", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "factbot-report-")), "factbot.db");
    const store = await openStore({ FACTBOT_DB: db });
    const now = new Date();
    for (const [metric, key] of [
      ["kind", "answer"],
      ["kind", "answer"],
      ["kind", "fallback"],
      ["fact", "csam"],
      ["fact", "csam"],
      ["not_helpful", "csam"],
      ["unanswered", ""],
    ] as const)
      await store.count("slack:T1", metric, key, now);
    await store.keepUnanswered("slack:T1", "fallback", "how do I bake bread <b>now</b>", null, now);
    await store.close();
    const env = { FACTBOT_DB: db, DATABASE_URL: "" };
    const json = await factbot(["report", "--format", "json", "--since", "7d"], "", env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ total: 3, unanswered: 1, topFacts: [{ fact: "csam", count: 2 }] });
    expect(report.notHelpful).toEqual([{ fact: "csam", notHelpful: 1, helpful: 0 }]);
    const text = await factbot(["report", "--community", "slack:T1"], "", env);
    expect(text.stdout).toContain("Replies: 3 (answer 2, fallback 1)");
    expect(text.stdout).toContain("Child sexual abuse material (CSAM)");
    const csv = await factbot(["report", "--format", "csv"], "", env);
    expect(csv.stdout.split("\n")).toContain("fact,csam,2,Child sexual abuse material (CSAM)");
    const html = (await factbot(["report", "--format", "html"], "", env)).stdout;
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<svg");
    // self-contained: nothing fetched, nothing run, and a kept question is escaped
    expect(html).not.toMatch(/<script|src=|href=|@import/);
    expect(html).toContain("how do I bake bread &lt;b&gt;now&lt;/b&gt;");
    const empty = await factbot(["report", "--community", "discord:none"], "", env);
    expect(empty.stdout).toContain("Replies: 0");
    expect((await factbot(["report", "--since", "soon"], "", env)).code).not.toBe(0);
  });
});
