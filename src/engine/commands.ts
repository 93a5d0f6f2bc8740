/**
 * The words every chat surface understands besides questions: "topics", "resources [region]",
 * "define TERM", "help". The console, /csec in Slack and mentions share this one reading, so a user
 * who learns it in one place can use it everywhere. Anything else is a question.
 */

import { parseRegion } from "../knowledge/regions.js";
import type { RegionCode } from "../knowledge/schema.js";
import type { AskOptions, Engine } from "./engine.js";
import type { Reply } from "./reply.js";
import { sanitize } from "./sanitize.js";

export type Command =
  | { name: "topics" }
  | { name: "resources"; region?: RegionCode }
  | { name: "define"; term: string }
  | { name: "help" }
  | { name: "ask"; question: string };

/** `regionOf` reads a place name ("resources canada"); without it only region codes are understood. */
export function parseCommand(input: unknown, regionOf: (text: string) => RegionCode | null = () => null): Command {
  const text = sanitize(input);
  const [first = "", ...rest] = text.split(" ");
  const word = first.toLowerCase().replace(/^[/!]/, "");
  const tail = rest.join(" ").trim();
  if (word === "topics" && tail === "") return { name: "topics" };
  if (word === "help" && tail === "") return { name: "help" };
  if (word === "define" && tail !== "") return { name: "define", term: tail };
  if (word === "resources" || word === "resource") {
    if (tail === "") return { name: "resources" };
    const code = parseRegion(tail);
    if (code) return { name: "resources", region: code };
    const named = regionOf(tail);
    if (named) return { name: "resources", region: named };
  }
  return { name: "ask", question: text };
}

/** Read a message as a command and answer it; the command says how an adapter should show the reply. */
export function answerCommand(
  engine: Engine,
  input: unknown,
  options: AskOptions = {},
): { command: Command; reply: Reply } {
  const command = parseCommand(input, (text) => engine.regionOf(text));
  return { command, reply: replyTo(engine, command, options) };
}

export function respond(engine: Engine, input: unknown, options: AskOptions = {}): Reply {
  return answerCommand(engine, input, options).reply;
}

function replyTo(engine: Engine, command: Command, options: AskOptions): Reply {
  const region = options.region ?? engine.region;
  switch (command.name) {
    case "topics":
      return engine.topicsReply(region);
    case "help":
      return engine.help(region);
    case "define":
      return engine.define(command.term, region);
    case "resources":
      return engine.resources(command.region ?? region);
    case "ask":
      return engine.answer(command.question, options);
  }
}
