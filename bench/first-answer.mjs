// Run as its own process by the benchmark: the time from process start to the first answer, the way
// `npm start` and `factbot` run (compiled dist/ when built, else the sources through tsx).
import { load } from "../bin/launch.js";

const { engineFromEnv } = await load("src/bootstrap");
const imported = performance.now();
const engine = await engineFromEnv({});
const reply = engine.answer("what does csec stand for");
const answered = performance.now();
process.stdout.write(
  `${JSON.stringify({ kind: reply.kind, toImports: imported, toFirstAnswer: answered, loadBuildAnswer: answered - imported })}\n`,
);
