/**
 * The engine's code, on the fixture knowledge base (testkit/knowledge, beach safety): retrieval,
 * normalising, older terms, the decision to answer or not, commands, composing the structured Reply
 * and its plain text, and input handling. Editing a shipped fact cannot break these; the shipped
 * base's own behaviour is tested in engine.test.ts, safety.test.ts and the eval sets.
 */
import { describe, expect, it } from "vitest";
import { parseCommand, respond } from "../src/engine/commands.js";
import { editDistance } from "../src/engine/corrector.js";
import { plainText, ReplySchema } from "../src/engine/reply.js";
import { MAX_INPUT_CHARS, sanitize } from "../src/engine/sanitize.js";
import { fixtureEngine, fixtureKnowledge } from "../testkit/fixture.js";

const bot = fixtureEngine({ region: "US" });
const replies = fixtureKnowledge().replies;

describe("retrieval", () => {
  it("answers a fact's question with the fact, its source and related topics", () => {
    const reply = bot.answer("what does a lifeguard do?");
    expect(reply).toMatchObject({ kind: "answer", factId: "lifeguard", title: "What a lifeguard does" });
    expect(reply.source?.cited[0]).toMatchObject({ publisher: "Fixture Society", year: "2024" });
    expect(reply.related.map((r) => r.id)).toEqual(["beach-flags"]);
  });

  it("corrects typos, reads synonyms and contractions", () => {
    expect(bot.answer("whats a rip curent").factId).toBe("rip-current");
    expect(bot.answer("tell me about riptides").factId).toBe("rip-current");
  });

  it("names an older term once, with today's term, when the question used it", () => {
    const reply = bot.answer("what is an undertow");
    expect(reply.factId).toBe("rip-current");
    expect(reply.notes).toEqual([`"undertow" is an older term; today's term is "rip current".`]);
    expect(bot.answer("what is a rip current").notes).toEqual([]);
  });

  it("falls back on a question the base does not cover, with topics and the region's lines, never a fact", () => {
    const reply = bot.answer("how do i bake sourdough bread");
    expect(reply.kind).toBe("fallback");
    expect(reply.factId).toBeNull();
    expect(reply.lead).toBe(replies.fallback);
    expect(reply.referrals[0]?.emergency).toBe("If a child is in immediate danger, call 911 now.");
    expect(reply.resources.map((r) => r.id)).toContain("us-report-line");
  });
});

describe("is this what was asked?", () => {
  it("does not answer a question about another year with a fact about a different one", () => {
    expect(bot.answer("how many rescues did lifeguards make in 2024").factId).toBe("rescue-count");
    const other = bot.answer("how many rescues did lifeguards make in 2019");
    expect(other.kind).not.toBe("answer");
    expect(other.factId).toBeNull();
  });
});

describe("commands and conversation", () => {
  it("reads topics, resources REGION, define TERM and help; anything else is a question", () => {
    expect(parseCommand("topics")).toEqual({ name: "topics" });
    expect(parseCommand("resources uk")).toEqual({ name: "resources", region: "UK" });
    expect(parseCommand("resources UK ")).toEqual({ name: "resources", region: "UK" });
    expect(parseCommand("define rip")).toEqual({ name: "define", term: "rip" });
    expect(parseCommand("help me my niece told me something")).toMatchObject({ name: "ask" });
    const topics = respond(bot, "topics");
    expect(topics.catalogue.map((g) => g.name)).toEqual(["People", "Water"]);
    expect(topics.catalogue.flatMap((g) => g.topics).length).toBe(5);
    expect(respond(bot, "resources uk").resources.map((r) => r.id)).toContain("uk-help-line");
  });

  it("defines a glossary term by name or alias, and says when a term is missing without echoing it", () => {
    expect(bot.define("riptide").factId).toBe("rip-current");
    const missing = bot.define("quux blorpt");
    expect(missing).toMatchObject({ kind: "fallback", lead: replies.not_in_glossary });
    expect(missing.text).not.toMatch(/quux|blorpt/);
  });

  it("answers small talk and 'tell me more' from the last answer", () => {
    expect(bot.answer("thanks").lead).toBe(replies.small_talk.thanks);
    const more = bot.answer("tell me more", { previousFactId: "beach-flags" });
    expect(more.suggestions.map((s) => s.id)).toEqual(["lifeguard", "rip-current"]);
    expect(bot.answer("tell me more").lead).toBe(replies.small_talk.more_none);
    expect(bot.fact("no-such-fact")).toBeNull();
  });
});

describe("safety replies from the rules", () => {
  it("urgent: the emergency number first, the opening, the region's lines, next steps, the safeguarding contact", () => {
    const reply = fixtureEngine({ region: "US", safeguardingContact: "Sam, 555 0100" }).answer(
      "a 12 year old told me a man pays her",
    );
    expect(reply).toMatchObject({ kind: "urgent", rule: "told-child-paid", sensitive: true });
    expect(reply.lead).toBe("If a child is in immediate danger, call 911 now.");
    expect(reply.nextSteps?.steps).toEqual(replies.urgent.adult.next_steps);
    expect(reply.nextSteps?.contact).toBe("Your organisation's safeguarding contact: Sam, 555 0100");
    const lines = reply.text.split("\n");
    expect(lines[0]).toBe(reply.lead);
    expect(lines.indexOf(replies.urgent.adult.next_title)).toBeGreaterThan(
      lines.findIndex((l) => l.includes("Fixture US Reporting Line")),
    );
    expect(lines.at(-1)).toContain("Fixture International Hotline");
  });

  it("refusal and help-seeking: no fact, prevention help, and a place named in the message wins", () => {
    const refusal = bot.answer("where can i buy a child");
    expect(refusal).toMatchObject({ kind: "refusal", factId: null, lead: replies.refusal.text });
    const help = bot.answer("i need help with my urges about children in the uk");
    expect(help).toMatchObject({ kind: "resources", rule: "own-urges", region: "UK" });
    expect(help.resources.map((r) => r.id)).toContain("uk-prevention-line");
  });
});

describe("the structured Reply", () => {
  it("derives its text from the fields, by one function", () => {
    for (const reply of [
      bot.answer("what is cold water shock"),
      bot.answer("how do i bake bread"),
      bot.answer("a 12 year old told me a man pays her"),
      bot.help(),
      bot.topicsReply(),
      bot.resources("UK"),
    ]) {
      expect(ReplySchema.safeParse(reply).success).toBe(true);
      expect(reply.text).toBe(plainText(reply, replies));
    }
    expect(bot.answer("what is cold water shock").text.split("\n")).toEqual([
      "Cold water shock",
      "Sudden immersion in cold water causes a gasp reflex that can lead to drowning.",
      'Source: Fixture Society, "Beach safety basics" (2024), fixture.example/beach',
    ]);
  });
});

describe("input handling", () => {
  it("caps input and strips control characters and platform mentions", () => {
    expect(sanitize("a".repeat(10_000)).length).toBe(MAX_INPUT_CHARS);
    expect(sanitize("hi\u0000\u0007 there\u202e")).toBe("hi there");
    expect(sanitize("<@U123ABC> what is <!channel> csec @everyone <#C1|general>")).toBe("what is csec");
    expect(sanitize(undefined)).toBe("");
    expect(sanitize(42)).toBe("");
  });

  it("never throws on odd input", () => {
    for (const q of [null, undefined, 42, {}, "\u0000", "🙂".repeat(3000), "<!here>", "'''", "a\nb\rc"]) {
      expect(ReplySchema.safeParse(bot.answer(q)).success).toBe(true);
    }
  });

  it("computes edit distances with transpositions", () => {
    expect(editDistance("childern", "children")).toBe(1);
    expect(editDistance("offendr", "offender")).toBe(1);
    expect(editDistance("abc", "xyz")).toBe(3);
  });
});
