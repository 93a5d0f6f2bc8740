/** The store, on SQLite and on PostgreSQL: the same tests, the same answers. */
import { describe, expect, it } from "vitest";
import { scrub } from "../src/store/scrub.js";
import { DEFAULT_SETTINGS } from "../src/store/store.js";
import { freshStore, STORE_KINDS } from "../testkit/stores.js";

describe("scrubbing a question before it is kept", () => {
  it("removes addresses, phone numbers, links, mentions and long numbers", () => {
    expect(
      scrub(
        "hi <@U123> @mod email me at jo.smith@example.org or call +44 7700 900123, see https://x.example/a and www.y.com, case 12345678, I live at 12 Baker Street",
      ),
    ).toBe(
      "hi [mention] [mention] email me at [email] or call [phone], see [link] and [link], case [number], I live at [address]",
    );
    expect(scrub("what does csec stand for")).toBe("what does csec stand for");
  });
});

describe.each(STORE_KINDS)("the store on %s", (kind) => {
  it("keeps settings per community, with defaults for a community never set", async () => {
    const store = await freshStore(kind);
    try {
      expect(await store.settings("slack:T1")).toEqual(DEFAULT_SETTINGS);
      await store.saveSettings("slack:T1", { region: "UK", alertChannel: "C9", collectUnanswered: true });
      await store.saveSettings("slack:T1", { safeguardingContact: "Sam, 0123" });
      expect(await store.settings("slack:T1", 0)).toEqual({
        region: "UK",
        safeguardingContact: "Sam, 0123",
        alertChannel: "C9",
        alertPrivate: false,
        collectUnanswered: true,
      });
      expect(await store.settings("discord:42", 0)).toEqual(DEFAULT_SETTINGS);
    } finally {
      await store.close();
    }
  });

  it("counts per community and day, and reports usage, top facts, not helpful facts and rules", async () => {
    const store = await freshStore(kind);
    try {
      const d1 = new Date("2026-11-20T10:00:00Z");
      const d2 = new Date("2026-11-21T10:00:00Z");
      for (const [metric, key, at] of [
        ["kind", "answer", d1],
        ["kind", "answer", d2],
        ["kind", "urgent", d2],
        ["fact", "csam", d1],
        ["fact", "csam", d2],
        ["fact", "sectt", d2],
        ["rule", "classifier:urgent", d2],
        ["not_helpful", "sectt", d2],
        ["helpful", "csam", d2],
        ["kind", "fallback", d2],
        ["unanswered", "", d2],
      ] as const)
        await store.count("slack:T1", metric, key, at);
      await store.count("discord:42", "kind", "answer", d2);
      const all = await store.report({ since: new Date("2026-11-01"), until: new Date("2026-11-30") });
      expect(all.total).toBe(5);
      expect(all.communities).toBe(2);
      expect(all.byKind).toEqual([
        { kind: "answer", count: 3 },
        { kind: "fallback", count: 1 },
        { kind: "urgent", count: 1 },
      ]);
      const one = await store.report({ since: new Date("2026-11-01"), community: "slack:T1" });
      expect(one.total).toBe(4);
      expect(one.byDay).toEqual([
        { day: "2026-11-20", count: 1 },
        { day: "2026-11-21", count: 3 },
      ]);
      expect(one.topFacts).toEqual([
        { fact: "csam", count: 2 },
        { fact: "sectt", count: 1 },
      ]);
      expect(one.notHelpful).toEqual([{ fact: "sectt", notHelpful: 1, helpful: 0 }]);
      expect(one.rules).toEqual([{ rule: "classifier:urgent", count: 1 }]);
      expect(one.unanswered).toBe(1);
      const later = await store.report({ since: new Date("2026-11-21"), community: "slack:T1" });
      expect(later.total).toBe(3);
    } finally {
      await store.close();
    }
  });

  it("keeps unanswered questions scrubbed, grouped by nearest topic, and purges them after 30 days", async () => {
    const store = await freshStore(kind);
    try {
      const old = new Date("2026-10-01T00:00:00Z");
      const recent = new Date("2026-11-25T00:00:00Z");
      await store.keepUnanswered("slack:T1", "fallback", "how do I bake bread, call 555 123 4567", null, old);
      await store.keepUnanswered(
        "slack:T1",
        "suggest",
        "are offenders mostly from abroad",
        "offender-diversity",
        recent,
      );
      await store.keepUnanswered("slack:T1", "suggest", "do offenders travel a lot", "offender-diversity", recent);
      await store.keepUnanswered("discord:42", "fallback", "another community's question", null, recent);
      const before = await store.report({ since: new Date("2026-09-01"), community: "slack:T1" });
      expect(before.questions).toEqual([
        { nearest: "offender-diversity", texts: ["are offenders mostly from abroad", "do offenders travel a lot"] },
        { nearest: "", texts: ["how do I bake bread, call [phone]"] },
      ]);
      expect(await store.purge(new Date("2026-11-29T00:00:00Z"))).toBe(1);
      const after = await store.report({ since: new Date("2026-09-01"), community: "slack:T1" });
      expect(after.questions.flatMap((q) => q.texts)).toEqual([
        "are offenders mostly from abroad",
        "do offenders travel a lot",
      ]);
    } finally {
      await store.close();
    }
  });

  it("shares what several processes need: ids seen once, and rate-limit hits", async () => {
    const store = await freshStore(kind);
    try {
      expect(await store.firstSeen("Ev1")).toBe(true);
      expect(await store.firstSeen("Ev1")).toBe(false);
      const now = new Date("2026-11-29T12:00:00Z");
      const at = (s: number) => new Date(now.getTime() + s * 1000);
      const results: boolean[] = [];
      for (const s of [0, 1, 2]) results.push(await store.hit("slack:T1:U1", 2, 60_000, at(s)));
      expect(results).toEqual([true, true, false]);
      expect(await store.hit("slack:T1:U1", 2, 60_000, at(61))).toBe(true);
    } finally {
      await store.close();
    }
  });
});
