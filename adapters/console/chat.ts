/**
 * The terminal chat, like Hubot's Shell adapter: what `npm start` opens when no Slack or Discord token
 * is set. It reads a line, asks the engine, prints the reply as it would read in chat. Nothing is
 * logged: the conversation is on the screen only.
 */
import { createInterface } from "node:readline";
import { respond } from "../../src/engine/commands.js";
import type { Engine } from "../../src/engine/engine.js";
import { renderConsole } from "./render.js";

export interface ConsoleOptions {
  engine: Engine;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

const GREETING =
  'csec-factbot: ask a question about the commercial sexual exploitation of children.\nType "help", "topics", "define CSAM", "resources UK", or "quit" to leave.\n';

/** Runs until the input ends or the user types quit/exit. */
export function startConsoleChat({ engine, input, output }: ConsoleOptions): Promise<void> {
  const terminal = "isTTY" in output && Boolean((output as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input, output, terminal, prompt: "you> " });
  output.write(GREETING);
  rl.prompt();
  // the last fact given, for "tell me more"; kept in this process only
  let previousFactId: string | null = null;
  return new Promise((resolve) => {
    rl.on("line", (line) => {
      const text = line.trim();
      if (text === "quit" || text === "exit") {
        rl.close();
        return;
      }
      if (text !== "") {
        const reply = respond(engine, text, { previousFactId });
        previousFactId = reply.factId ?? previousFactId;
        output.write(`${renderConsole(reply)}\n`);
      }
      rl.prompt();
    });
    rl.on("close", () => {
      output.write("\n");
      resolve();
    });
  });
}
