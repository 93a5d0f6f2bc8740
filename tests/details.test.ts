/**
 * "Is the detail asked for in this fact at all?" (src/engine/details.ts): a question naming a fact's
 * organisation or law but asking for what its answer does not give gets no fact.
 */
import { describe, expect, it } from "vitest";
import { missingDetails } from "../src/engine/details.js";
import { shippedEngine, shippedKnowledge } from "./helpers.js";

describe("missingDetails", () => {
  it("finds a phone number, a penalty, a founder or a location asked of an answer without one", () => {
    expect(missingDetails("childhelp hotline phone number?", "A support line that answers calls and chats.")).toEqual([
      "phone number",
    ]);
    expect(missingDetails("what is the maximum sentence for this", "The law makes it an offence abroad.")).toEqual([
      "penalty",
    ]);
    expect(missingDetails("who founded it", "A charity that runs a hotline.")).toEqual(["who made it"]);
    expect(missingDetails("where is it headquartered", "A charity that runs a hotline.")).toEqual(["where it is"]);
  });

  it("finds nothing missing when the answer gives that detail, or when 'sentence' means a sentence of text", () => {
    expect(missingDetails("stop it now phone number", "Call 1-888-773-8368 for confidential help.")).toEqual([]);
    expect(missingDetails("what penalty applies", "up to 30 years in prison")).toEqual([]);
    expect(
      missingDetails("explain csec in one sentence for parents", "CSEC is the sexual abuse of a child for money."),
    ).toEqual([]);
  });

  it("never turns away a question the facts' own alternate questions ask", () => {
    for (const f of shippedKnowledge().facts) {
      for (const q of f.questions) expect(missingDetails(q, f.answer), `${f.id}: ${q}`).toEqual([]);
    }
  });
});

describe("the engine with a detail the fact does not give", () => {
  it("says it has no fact for the phone number of a service whose fact gives none, and answers the fact's own question", async () => {
    const bot = await shippedEngine({ region: "US" });
    const fact = shippedKnowledge().facts.find((f) => f.id === "report-childhelp-hotline");
    expect(fact?.answer).not.toMatch(/\d{3}/);
    expect(bot.answer("childhelp national child abuse hotline phone number").factId ?? null).toBeNull();
    expect(bot.answer(fact?.questions[0] ?? "").factId).toBe("report-childhelp-hotline");
  });
});
