/** The shipped knowledge base as users meet it: its facts, terms, languages and regions. The engine's code is unit-tested on a fixture (engine-units.test.ts). */
import { describe, expect, it } from "vitest";
import { ReplySchema } from "../src/engine/reply.js";
import { describeError } from "../src/log.js";
import { engine, shippedEngine, shippedKnowledge } from "./helpers.js";

const bot = engine();

describe("answers", () => {
  it("answers what CSEC stands for, with its source and related topics", () => {
    const reply = bot.answer("what does csec stand for");
    expect(reply.kind).toBe("answer");
    expect(reply.factId).toBe("csec-definition");
    expect(reply.text).toContain("Commercial Sexual Exploitation of Children");
    expect(reply.text).toMatch(/^Source: .*overview/m);
    expect(reply.source?.document).toBe("csec-overview");
    expect(reply.related.map((r) => r.id)).toContain("csec-forms");
    expect(reply.confidence).toBeGreaterThan(0.5);
    expect(ReplySchema.parse(reply)).toEqual(reply);
  });

  it("tolerates typos, slang, British and American spelling", () => {
    expect(bot.answer("wat is a prefrential offendr").factId).toBe("preferential-offender");
    expect(bot.answer("whats a paedo").factId).toBe("preferential-offender");
    expect(bot.answer("what's a pedophile").factId).toBe("preferential-offender");
    expect(bot.answer("where are the organised child sex industries").factId).toBe("regions");
    expect(bot.answer("where are the organized child sex industries").factId).toBe("regions");
    expect(bot.answer("how many kids r affected").factId).toBe("two-million");
  });

  it("uses current terms and names the older one once when the question used it", () => {
    const reply = bot.answer("what is child pornography");
    expect(reply.factId).toBe("csam");
    expect(reply.text).toContain(
      '"child pornography" is an older term; today\'s term is "child sexual abuse material (CSAM)"',
    );
    const plain = bot.answer("what is csam");
    expect(plain.text).not.toContain("is an older term");
  });

  it("falls back honestly off-topic, offering topics and where to get help", () => {
    const reply = bot.answer("what's the best pizza topping");
    expect(reply.kind).toBe("fallback");
    expect(reply.text).toContain("I don't have a fact that answers that");
    expect(reply.suggestions.length).toBeGreaterThan(0);
    expect(reply.resources.length).toBeGreaterThan(0);
    expect(reply.factId).toBeNull();
  });

  it("names a subject outside the base plainly, matched on the words as written", async () => {
    const bot = await shippedEngine();
    for (const [question, subject] of [
      ["what's the best car seat for a 4 year old", "car seats"],
      ["how do I report a phishing scam", "online scams"],
      ["is abortion legal in texas", "abortion"],
    ]) {
      const reply = bot.answer(question as string);
      expect(reply.kind).toBe("fallback");
      expect(reply.text).toContain(`That sounds like a question about ${subject}, which is outside what I cover.`);
    }
    // typo correction once made "abortion" into "adoption" and "sats" into "stats", so these were
    // turned away as abortion and school exams
    expect(bot.answer("is illegal adoption a form of child trafficking").factId).toBe("trafficking-forms-children");
    expect(bot.answer("iwf stats for 2024?").factId).toBe("iwf-2024");
  });

  it("does not call a subject outside when the fact found names it itself", async () => {
    const bot = await shippedEngine();
    // "scam" names online scams, but the sextortion facts speak of scams; "radicalisation" is in the
    // grooming definition's own answer
    expect(bot.answer("how do teens spot a sextortion scam before it happens").factId).toBe("sextortion-warning-signs");
    expect(bot.answer("can grooming methods be used for radicalisation too").factId).toBe("grooming-definition");
  });

  it("tells a moderator plainly when the subject named is outside the base, instead of moderation guidance", async () => {
    const bot = await shippedEngine();
    // both read as moderators' questions, and the moderation facts met them at a low confidence (the
    // safeguarding policy, an adult contacting children); the words "GDPR" and "kids online safety act"
    // are in no moderation fact
    for (const [question, subject] of [
      [
        "mod here: do we need parental consent under GDPR before 14 year olds can join our server?",
        "data protection law",
      ],
      [
        "our discord has teens in it, is the kids online safety act going to apply to us?",
        "the US Kids Online Safety Act",
      ],
    ]) {
      const reply = bot.answer(question as string);
      expect(reply.kind, question).toBe("fallback");
      expect(reply.factId).toBeNull();
      expect(reply.text).toContain(`That sounds like a question about ${subject}, which is outside what I cover.`);
    }
    // a moderator's question without such a subject still gets the moderator guidance
    const guided = bot.answer("a member in our server keeps DMing 13 year olds, what should mods do");
    expect(guided.safety).toBe("moderator");
    expect(guided.factId).toBe("moderation-adult-contacting-minors");
  });

  it("answers moderators on keeping adults' contact with children in the open, and on Discord's teen settings", async () => {
    const bot = await shippedEngine();
    // the moderation picker also knows many adults DMing children as a member's concern (the adult
    // contacting minors' fact), so most, not all, of these get the rules on contact
    const contact = [
      "is it ok for adult mods to dm the teens in our server one to one",
      "should our volunteers message kids privately on discord",
      "can a youth leader video call a 14 year old alone",
      "should adult staff use personal accounts to message under 18 members",
      "our tutors want to do 1:1 voice calls with students in our server, ok?",
    ].map((q) => bot.answer(q));
    expect(contact.filter((r) => r.factId === "moderation-adult-child-contact").length).toBeGreaterThanOrEqual(4);
    expect(contact.find((r) => r.factId === "moderation-adult-child-contact")?.text).toContain("eSafety");
    expect(bot.answer("what does discord do by default with explicit images sent to teen accounts").factId).toBe(
      "moderation-discord-teen-settings",
    );
  });

  it("answers a line asked for by name with the region's lines, not a fact that does not name it", async () => {
    const bot = await shippedEngine();
    // the Stop It Now fact was found for it (a helpline, in Australia) and given with the lines
    const reply = bot.answer("australia kids helpline number");
    expect(reply.kind).toBe("resources");
    expect(reply.factId).toBeNull();
    expect(reply.text).toContain("Kids Helpline");
    expect(reply.text).toContain("1800 55 1800");
    // a line the fact names still gets the fact with the lines
    expect(bot.answer("is the stop it now helpline confidential").factId).toBe("prevention-stop-it-now-confidential");
  });

  it("suggests up to three topics when close but unsure", () => {
    // "offenders" fits several facts about offenders about equally well: ask, do not guess
    const reply = bot.answer("offenders");
    expect(reply.kind).toBe("suggest");
    expect(reply.factId).toBeNull();
    expect(reply.text).toContain("Did you mean");
    expect(reply.suggestions.length).toBeGreaterThan(1);
    expect(reply.suggestions.length).toBeLessThanOrEqual(3);
    expect(reply.suggestions.map((s) => s.id)).toContain("offender-diversity");
    expect(reply.text).toContain(reply.suggestions[0]?.title);
  });

  it("greets with help, for greetings, 'help' and 'what can you do'", () => {
    for (const q of ["hi", "hello bot", "help", "what can you do?", "hey there", ""]) {
      expect(bot.answer(q).kind, q).toBe("help");
    }
    expect(bot.answer("help").text).toContain("commercial sexual exploitation of children");
  });

  it("answers a fact by id for related-topic buttons, and defines glossary terms", () => {
    expect(bot.fact("sectt")?.kind).toBe("answer");
    expect(bot.fact("no-such-fact")).toBeNull();
    expect(bot.define("CSAM").factId).toBe("csam");
    expect(bot.define("procurer").factId).toBe("routes-in");
    expect(bot.define("situational").factId).toBe("situational-offender");
  });

  it("names its source as people recognise it: organisation, title, year, link; the quote stays in the JSON", () => {
    const reply = bot.answer("what is county lines");
    expect(reply.factId).toBe("county-lines");
    const cited = reply.source?.cited[0];
    expect(cited).toMatchObject({
      publisher: expect.any(String),
      title: expect.any(String),
      year: expect.stringMatching(/^\d{4}$/),
    });
    expect(cited?.link).toMatch(/\.(uk|org|gov)\b/);
    expect(reply.text).toContain(`Source: ${cited?.publisher}, "${cited?.title}" (${cited?.year}), ${cited?.link}`);
    expect(reply.source?.quote.length).toBeGreaterThan(20);
    // a fact quoting the overview names the overview
    expect(bot.answer("what does csec stand for").text).toMatch(/^Source: .*overview/m);
  });

  it("answers small talk from replies.yaml: thanks, are you a bot, is this confidential", () => {
    const replies = shippedKnowledge().replies.small_talk;
    expect(bot.answer("thanks!").text).toBe(replies.thanks);
    expect(bot.answer("ok thank you so much").text).toBe(replies.thanks);
    expect(bot.answer("are you a real person?").text).toBe(replies.bot);
    for (const q of ["is this confidential", "do you store what I type?", "hey, is this chat private"]) {
      expect(bot.answer(q).text, q).toBe(replies.privacy);
    }
  });

  it("'tell me more' offers the related topics of the last answer in the conversation", () => {
    const first = bot.answer("what is sectt");
    const more = bot.answer("tell me more", { previousFactId: first.factId });
    expect(more.kind).toBe("suggest");
    expect(more.suggestions.map((s) => s.id)).toEqual(first.related.map((r) => r.id));
    expect(more.suggestions.length).toBeGreaterThan(0);
    expect(bot.answer("tell me more").text).toBe(shippedKnowledge().replies.small_talk.more_none);
  });

  it("says when a term is not in the glossary, with the nearest terms, and never echoes it", () => {
    const reply = bot.define("sextorsion");
    expect(reply.factId).toBe("sextortion-what-is");
    const missing = bot.define("quux blorpt");
    expect(missing.kind).toBe("fallback");
    expect(missing.text).not.toMatch(/quux|blorpt/);
    // a disclosure typed after "define" is still a disclosure
    expect(bot.define("my niece told me a man pays her for sex").kind).toBe("urgent");
  });
});

describe("other languages and regions", () => {
  it("answers a message in Spanish, French, Portuguese or German with one line in it, then where to get help", async () => {
    const full = await shippedEngine({ region: "UK" });
    const lines = shippedKnowledge().replies.other_language.lines;
    const asked = {
      es: "hola, me podrías explicar qué significa la explotación sexual comercial de niños",
      fr: "bonjour, pouvez-vous m'expliquer ce que veut dire l'exploitation sexuelle des enfants",
      pt: "olá, você pode me explicar o que significa a exploração sexual comercial de crianças",
      de: "hallo, können Sie mir erklären, was kommerzielle sexuelle Ausbeutung von Kindern bedeutet",
    };
    for (const [code, question] of Object.entries(asked)) {
      const reply = full.answer(question);
      expect(reply.rule, code).toBe(`language:${code}`);
      expect(reply.text.split("\n")[0]).toBe(lines[code]);
      expect(reply.text).toContain("999");
      expect(reply.factId).toBeNull();
    }
    // English stays English, even short messages the identifier alone misreads
    expect((await shippedEngine()).answer("im 14 and scared").rule ?? "").not.toMatch(/^language:/);
  });

  it("knows Ireland and New Zealand, and Europe's harmonised numbers", () => {
    const ie = bot.resources("IE");
    expect(ie.text.split("\n")[0]).toContain("112 or 999");
    expect(bot.resources("NZ").text.split("\n")[0]).toContain("111");
    expect(bot.resources("EU").text).toMatch(/116 111/);
    expect(bot.resources("EU").text).toMatch(/116 000/);
    expect(bot.regionOf("we are in dublin")).toBe("IE");
    expect(bot.regionOf("im in belfast, northern ireland")).toBe("UK");
    expect(bot.regionOf("auckland")).toBe("NZ");
    for (const r of [...ie.resources, ...bot.resources("NZ").resources]) {
      expect(r.source.length).toBeGreaterThan(3);
      expect(r.verified).toMatch(/^\d{4}-\d{2}$/);
    }
  });
});

describe("logs", () => {
  it("describe errors by name, code and message, never what the message quotes", () => {
    let parseError: unknown;
    try {
      JSON.parse("my niece told me a secret");
    } catch (err) {
      parseError = err;
    }
    const line = describeError(parseError);
    expect(line).toMatch(/^SyntaxError: /);
    expect(line).not.toMatch(/niece|secret/);
    expect(describeError("Error: something failed\nwith details")).toBe("Error: something failed");
    expect(describeError({ name: "WebAPIPlatformError", code: "slack_webapi_platform_error" })).toBe(
      "WebAPIPlatformError slack_webapi_platform_error",
    );
  });
});
