/**
 * `npm run bench`: speed and memory, reported as figures (never asserted in tests).
 *   1. the engine on the shipped base and on generated bases of 1,000 and 10,000 facts, beside plain
 *      fuse.js over the same alternate questions;
 *   2. start to first answer, and heap after load;
 *   3. Slack: signed request to ack; Discord: dispatch to callback, and autocomplete;
 *   4. two processes on one PostgreSQL;
 *   5. `npm run train`'s wall clock and CPU time (the issue's budget: 60 s on 2 cores), in a process of its own.
 */
import { execFileSync } from "node:child_process";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import Fuse from "fuse.js";
import { createDiscordClient } from "../adapters/discord/client.js";
import { createSlackApp } from "../adapters/slack/app.js";
import { createEngine } from "../src/bootstrap.js";
import { Engine } from "../src/engine/engine.js";
import { loadFastTextClassifier } from "../src/engine/safety/fasttext.js";
import { loadCorpus } from "../src/knowledge/corpus.js";
import { loadKnowledge, shippedKnowledgeDir } from "../src/knowledge/load.js";
import { silentLogger } from "../src/log.js";
import { loadSet } from "../testkit/evaluate.js";
import { FakeDiscord } from "../testkit/fake-discord.js";
import { MockSlack, postSlashCommand } from "../testkit/mock-slack.js";
import { startPostgres } from "../testkit/postgres.js";
import { freePort, npmStart, stopAll, until } from "../testkit/processes.js";
import { ms, type Stats, stats, timeEach } from "./stats.js";
import { syntheticKnowledge } from "./synthetic.js";

const out: string[] = [];
const say = (line = "") => {
  out.push(line);
  process.stdout.write(`${line}\n`);
};
const row = (name: string, s: Stats) =>
  `| ${name} | ${s.n} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${Math.round(s.perSecond)} |`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const heapMb = () => {
  gc();
  return (process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1);
};

const repeat = <T>(xs: T[], n: number) => Array.from({ length: n }, (_, i) => xs[i % xs.length] as T);

// ---------------------------------------------------------------------------------------------
say("## Engine");
const heapBefore = heapMb();
let t = performance.now();
const shipped = loadKnowledge();
const loadMs = performance.now() - t;
t = performance.now();
const engine = await createEngine(shipped, { region: "US" });
const buildMs = performance.now() - t;
const rulesOnly = new Engine(shipped, { region: "US", safetyMode: "rules" });
t = performance.now();
engine.answer("what does csec stand for");
const firstMs = performance.now() - t;
say(
  `shipped base: ${shipped.facts.length} facts, ${shipped.facts.reduce((n, f) => n + f.questions.length, 0)} alternate questions`,
);
say(
  `load ${ms(loadMs)} ms, build ${ms(buildMs)} ms, first answer ${ms(firstMs)} ms; heap ${heapBefore} MB before load, ${heapMb()} MB after`,
);
say();
say("| engine | queries | p50 ms | p99 ms | max ms | per second |");
say("|---|---|---|---|---|---|");
const questions = [
  ...loadSet("factual").map((r) => r.question),
  ...loadCorpus(shippedKnowledgeDir(), shipped.facts).test.map((r) => r.text),
];
for (const q of questions) engine.answer(q); // warm up
say(
  row(
    "answer(), safety rules alone (no classifier)",
    stats(timeEach(repeat(questions, questions.length * 20), (q) => rulesOnly.answer(q))),
  ),
);
say(
  row(
    "full answer(), shipped base (labelled questions, x100)",
    stats(timeEach(repeat(questions, questions.length * 100), (q) => engine.answer(q))),
  ),
);
const classifier = await loadFastTextClassifier(shipped.safetyModel?.bytes ?? new Uint8Array());
say(
  row(
    "the safety classifier's predict() alone",
    stats(timeEach(repeat(questions, questions.length * 20), (q) => classifier.predict(q))),
  ),
);
say(
  row(
    "retrieval only, shipped base",
    stats(timeEach(repeat(questions, questions.length * 20), (q) => engine.retrieve(q))),
  ),
);

const fuseOptions = { includeScore: true, ignoreLocation: true, threshold: 0.6 };
const plainShipped = new Fuse(
  shipped.facts.flatMap((f) => f.questions.map((q) => ({ q, id: f.id }))),
  { ...fuseOptions, keys: ["q"] },
);
say(
  row(
    "plain fuse.js over alternate questions, shipped base",
    stats(timeEach(repeat(questions, 2000), (q) => plainShipped.search(q, { limit: 5 }))),
  ),
);

for (const size of [1_000, 10_000]) {
  const base = syntheticKnowledge(shipped, size);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  t = performance.now();
  const big = new Engine(base.knowledge);
  const build = performance.now() - t;
  gc();
  const heap = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  const queries = base.queries.map((q) => q.text);
  for (const q of queries.slice(0, 200)) big.answer(q);
  const engineStats = stats(timeEach(repeat(queries, 5000), (q) => big.answer(q)));
  const top1 =
    base.queries.filter((q) => big.retrieve(q.text, 1).facts[0]?.id === q.factId).length / base.queries.length;
  say(row(`full answer(), ${size} generated facts`, engineStats));
  const plain = new Fuse(
    base.knowledge.facts.flatMap((f) => f.questions.map((q) => ({ q, id: f.id }))),
    { ...fuseOptions, keys: ["q"] },
  );
  const sample = repeat(queries, size >= 10_000 ? 10 : 100);
  const plainStats = stats(timeEach(sample, (q) => plain.search(q, { limit: 5 })));
  const plainTop1 =
    sample.filter((q, i) => plain.search(q, { limit: 1 })[0]?.item.id === base.queries[i % base.queries.length]?.factId)
      .length / sample.length;
  say(row(`plain fuse.js over the same ${size * 6} alternate questions`, plainStats));
  say(
    `  ${size} facts: ${base.distinctWords} distinct words; engine build ${ms(build)} ms, +${heap.toFixed(1)} MB heap; top-1 on typo'd questions: engine ${(top1 * 100).toFixed(1)}%, plain fuse.js ${(plainTop1 * 100).toFixed(1)}%`,
  );
}

// ---------------------------------------------------------------------------------------------
say();
say("## Start to first answer (new process, median of 5)");
const runs = Array.from({ length: 5 }, () => {
  const started = performance.now();
  const line = execFileSync(process.execPath, [new URL("./first-answer.mjs", import.meta.url).pathname], {
    encoding: "utf8",
  });
  return { wall: performance.now() - started, ...JSON.parse(line) };
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
say(
  `process start to first answer: ${ms(median(runs.map((r) => r.toFirstAnswer)))} ms (imports ${ms(median(runs.map((r) => r.toImports)))} ms, then loading knowledge, building the engine and answering ${ms(median(runs.map((r) => r.loadBuildAnswer)))} ms); wall clock including node's own start: ${ms(median(runs.map((r) => r.wall)))} ms`,
);
const cli = Array.from({ length: 5 }, () => {
  const started = performance.now();
  execFileSync(process.execPath, [
    new URL("../bin/factbot.js", import.meta.url).pathname,
    "ask",
    "what does csec stand for",
  ]);
  return performance.now() - started;
});
say(`\`factbot ask\` wall clock: ${ms(median(cli))} ms`);

// ---------------------------------------------------------------------------------------------
say();
say("## Adapters");
say("| adapter | requests | p50 ms | p99 ms | max ms | per second |");
say("|---|---|---|---|---|---|");
{
  const slack = new MockSlack();
  await slack.start();
  const adapter = createSlackApp({
    engine,
    config: { botToken: "xoxb-bench", mode: "http", signingSecret: "bench", port: 0, apiUrl: slack.apiUrl },
    log: silentLogger,
  });
  const server = (await adapter.app.start(0)) as Server;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  const samples: number[] = [];
  const texts = repeat(questions, 1000);
  for (const text of texts) {
    const started = performance.now();
    await (await postSlashCommand(slack, url, "bench", text)).text();
    samples.push(performance.now() - started);
  }
  say(row("Slack: signed /csec request to ack (HTTP mode)", stats(samples)));
  await adapter.app.stop();
  await slack.stop();
}
{
  const discord = new FakeDiscord();
  await discord.start();
  const client = createDiscordClient({ engine, config: { apiUrl: discord.apiUrl }, log: silentLogger });
  const ready = new Promise<void>((resolve) => client.once("clientReady", () => resolve()));
  await client.login("bench");
  await ready;
  const measure = async (n: number, send: (i: number) => { id: string; token: string }) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const ref = send(i);
      await discord.waitFor(() => discord.callback(ref), 5000);
      samples.push(performance.now() - started);
      if (discord.calls.length > 200) discord.calls.length = 0;
    }
    return stats(samples);
  };
  say(
    row(
      "Discord: INTERACTION_CREATE /csec ask to callback",
      await measure(1000, (i) =>
        discord.slash("ask", [{ name: "question", value: questions[i % questions.length] as string }]),
      ),
    ),
  );
  const prefixes = questions.map((q) => q.slice(0, 3 + (q.length % 12)));
  say(
    row(
      "Discord: autocomplete to callback",
      await measure(1000, (i) =>
        discord.slash("ask", [{ name: "question", value: prefixes[i % prefixes.length] as string, focused: true }], 4),
      ),
    ),
  );
  say(row("engine.autocomplete() alone", stats(timeEach(repeat(prefixes, 5000), (p) => engine.autocomplete(p)))));
  await client.destroy();
  await discord.stop();
}
// ---------------------------------------------------------------------------------------------
say();
say("## Two processes on one PostgreSQL (20,000 requests each way)");
say("| what | requests | p50 ms | p99 ms | max ms | per second |");
say("|---|---|---|---|---|---|");
{
  const cluster = await startPostgres();
  const TOTAL = 20_000;
  const CONCURRENCY = 16;
  /** `TOTAL` requests, `CONCURRENCY` at a time; per-request latency and the overall rate */
  const load = async (send: (i: number) => Promise<void>) => {
    const samples: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < TOTAL) {
          const i = next++;
          const t0 = performance.now();
          await send(i);
          samples.push(performance.now() - t0);
        }
      }),
    );
    const s = stats(samples);
    return { ...s, perSecond: (TOTAL * 1000) / (performance.now() - started) };
  };
  const rssOf = async (port: number) => {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const bytes = Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? 0);
    return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
  };
  try {
    const slack = new MockSlack();
    await slack.start();
    const ports = [await freePort(), await freePort()];
    for (const port of ports)
      npmStart({
        SLACK_BOT_TOKEN: "xoxb-bench",
        SLACK_SIGNING_SECRET: "bench",
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        DATABASE_URL: cluster.url,
        FACTBOT_RATE_LIMIT: "0",
        DISCORD_TOKEN: "",
      });
    for (const port of ports)
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 || undefined, 60_000);
    const slackRun = await load(async (i) => {
      const port = ports[i % 2] as number;
      await (
        await postSlashCommand(
          slack,
          `http://127.0.0.1:${port}/slack/events`,
          "bench",
          questions[i % questions.length] as string,
          {
            user_id: `U${i % 500}`,
          },
        )
      ).text();
      if (slack.calls.length > 1000) slack.calls.length = 0;
    });
    say(
      `| Slack HTTP: signed /csec to ack, two instances | ${TOTAL} | ${ms(slackRun.p50)} | ${ms(slackRun.p99)} | ${ms(slackRun.max)} | ${slackRun.perSecond.toFixed(0)} |`,
    );
    say(
      `Slack instances' resident memory after ${TOTAL} requests: ${(await Promise.all(ports.map(rssOf))).join(", ")}`,
    );
    await stopAll();
    await slack.stop();

    const discord = new FakeDiscord();
    await discord.start();
    const health = [await freePort(), await freePort()];
    for (const [id, port] of health.entries())
      npmStart({
        DISCORD_TOKEN: "bench",
        DISCORD_APPLICATION_ID: "100000000000000001",
        DISCORD_API_URL: discord.apiUrl,
        FACTBOT_SHARD_IDS: String(id),
        FACTBOT_SHARD_COUNT: "2",
        DATABASE_URL: cluster.url,
        FACTBOT_RATE_LIMIT: "0",
        HEALTH_PORT: String(port),
        SLACK_BOT_TOKEN: "",
      });
    for (const port of health)
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 || undefined, 60_000);
    const discordRun = await load(async (i) => {
      discord.useShard(i % 2);
      const ref = discord.slash("ask", [{ name: "question", value: questions[i % questions.length] as string }]);
      const callback = await discord.waitFor(() => discord.callback(ref), 10_000);
      // the fake keeps every call; drop what was matched, so finding the next one stays fast
      discord.calls.splice(discord.calls.indexOf(callback), 1);
    });
    say(
      `| Discord: INTERACTION_CREATE to callback, two shard processes | ${TOTAL} | ${ms(discordRun.p50)} | ${ms(discordRun.p99)} | ${ms(discordRun.max)} | ${discordRun.perSecond.toFixed(0)} |`,
    );
    say(
      `Discord processes' resident memory after ${TOTAL} requests: ${(await Promise.all(health.map(rssOf))).join(", ")}`,
    );
    await stopAll();
    await discord.stop();
  } finally {
    await stopAll();
    cluster.stop();
  }
}

// ---------------------------------------------------------------------------------------------
say();
say("## Training (`npm run train`: every model and the thresholds; the fact classifier on a second thread)");
{
  // a fresh process (bench/train-time.ts), as `npm run train` runs
  const out = execFileSync(process.execPath, ["--import", "tsx", "bench/train-time.ts"], { encoding: "utf8" });
  const trained = JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { seconds: number; cpuSeconds: number };
  say(`${trained.seconds.toFixed(1)} s wall clock, ${trained.cpuSeconds.toFixed(1)} s of CPU`);
}

say();
say(
  `node ${process.version}, ${(await import("node:os")).cpus()[0]?.model ?? "cpu"} x${(await import("node:os")).cpus().length}`,
);
