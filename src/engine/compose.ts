/**
 * Builds Reply objects from curated pieces only: fact answers, the reply texts in knowledge/replies.yaml
 * and the referral directory. Nothing here can place a user's words in a reply, which is what makes the
 * "never echo" rule hold by construction (the property tests check it from the outside).
 */
import { Citations, rankCitations } from "../knowledge/citations.js";
import type { Fact, Knowledge, RegionCode, Replies, SmallTalkIntent } from "../knowledge/schema.js";
import type { Referral, Referrals } from "./referrals.js";
import {
  fill,
  plainText,
  type ReferralGroup,
  type Reply,
  type ReplyFields,
  type ResourceRef,
  type TopicRef,
} from "./reply.js";

export class Composer {
  private readonly replies: Replies;
  private readonly documentTitles: Map<string, string>;
  private readonly citations: Citations;

  constructor(
    knowledge: Knowledge,
    private readonly referrals: Referrals,
  ) {
    this.replies = knowledge.replies;
    this.documentTitles = new Map(knowledge.documents.map((d) => [d.id, d.title]));
    this.citations = new Citations(knowledge);
  }

  /** A reply of a kind with every part empty, for the methods below to fill. */
  private base(kind: Reply["kind"], region: RegionCode): ReplyFields {
    return {
      kind,
      lead: null,
      factId: null,
      title: null,
      answer: null,
      notes: [],
      body: [],
      bullets: [],
      confidence: 0,
      source: null,
      related: [],
      suggestions: [],
      catalogue: [],
      referrals: [],
      resources: [],
      nextSteps: null,
      footer: [],
      region,
      rule: null,
      variant: null,
      safety: null,
      sensitive: false,
    };
  }

  /** The finished reply: the fields, plus the plain text derived from them. */
  private done(fields: ReplyFields): Reply {
    const resources = fields.referrals.flatMap((g) => g.services);
    const all = fields.resources.length > 0 ? fields.resources : resources;
    const reply = { ...fields, resources: all };
    return { ...reply, text: plainText(reply, this.replies) };
  }

  private emergencyLine(referral: Referral, self: boolean): string {
    const number = referral.emergency?.contacts.phone;
    if (!number) return this.replies.emergency_line_intl;
    return fill(self ? this.replies.emergency_line_self : this.replies.emergency_line, { number });
  }

  /**
   * The region's lines (opened by the emergency line, when given) and the lines for anywhere in the
   * world, as the groups a reply shows.
   */
  private groups(
    referral: Referral,
    region: RegionCode,
    opts: { emergency?: string | null; purpose?: boolean } = {},
  ): ReferralGroup[] {
    const purpose = opts.purpose ?? false;
    const out: ReferralGroup[] = [];
    const local = referral.services.length > 0;
    if (local || opts.emergency) {
      out.push({
        region,
        emergency: opts.emergency ?? null,
        heading: local ? fill(this.replies.resources_intro, { region: this.referrals.regionName(region) }) : null,
        services: referral.services,
        purpose,
      });
    }
    if (referral.international.length > 0) {
      out.push({
        region: "INTL",
        emergency: null,
        heading: this.replies.international_intro,
        services: referral.international,
        purpose,
      });
    }
    return out;
  }

  /** Every service of a referral, the emergency service first. */
  private resourcesOf(referral: Referral): ResourceRef[] {
    return [...(referral.emergency ? [referral.emergency] : []), ...referral.services, ...referral.international];
  }

  topicRef(fact: Fact): TopicRef {
    return { id: fact.id, title: fact.title };
  }

  private answerFields(fact: Fact, confidence: number, region: RegionCode, related: Fact[], notes: string[]) {
    const document = this.documentTitles.get(fact.source.document) ?? fact.source.document;
    const cited = rankCitations(this.citations.of(fact.source.document, fact.source.quote), fact.title, fact.answer);
    return {
      ...this.base("answer", region),
      factId: fact.id,
      title: fact.title,
      answer: fact.answer,
      notes,
      confidence,
      source: { document: fact.source.document, title: document, quote: fact.source.quote, cited },
      related: related.map((f) => this.topicRef(f)),
    };
  }

  answer(fact: Fact, confidence: number, region: RegionCode, related: Fact[], olderTerms: string[]): Reply {
    return this.done(this.answerFields(fact, confidence, region, related, olderTerms));
  }

  /** Below confidence: say so, offer the nearest topics and where to get help. */
  unsure(
    kind: "suggest" | "fallback",
    topics: Fact[],
    confidence: number,
    region: RegionCode,
    outsideSubject: string | null = null,
  ): Reply {
    const referral = this.referrals.referral(region, ["helpline", "report"]);
    const intro = kind === "suggest" ? this.replies.suggest : this.replies.fallback;
    return this.done({
      ...this.base(kind, region),
      lead: outsideSubject ? fill(this.replies.outside_subject, { subject: outsideSubject }) : intro,
      body: outsideSubject ? [intro] : [],
      confidence,
      suggestions: topics.map((f) => this.topicRef(f)),
      referrals: this.groups(referral, region, { emergency: this.emergencyLine(referral, false) }),
      resources: this.resourcesOf(referral),
    });
  }

  /**
   * A message in another language: one line in that language (English where we have no translation)
   * saying the bot answers in English, then the emergency number and the region's lines.
   */
  otherLanguage(code: string, region: RegionCode): Reply {
    const o = this.replies.other_language;
    const referral = this.referrals.referral(region, ["report", "helpline"]);
    referral.services = referral.services.filter((s) => s.kind !== "prevention" && s.urgent);
    return this.done({
      ...this.base("fallback", region),
      lead: o.lines[code] ?? o.default,
      referrals: this.groups(referral, region, { emergency: this.emergencyLine(referral, false) }),
      resources: this.resourcesOf(referral),
      rule: `language:${code}`,
      // we could not read it: it may be a disclosure, so it is shown only to the person where possible
      sensitive: true,
    });
  }

  /** Small talk: thanks, "are you a bot", "is this confidential", or "tell me more" with nothing before. */
  smallTalk(intent: SmallTalkIntent, region: RegionCode, collecting = false): Reply {
    const t = this.replies.small_talk;
    const text =
      intent === "more" ? t.more_none : intent === "privacy" && collecting ? t.privacy_collecting : t[intent];
    return this.done({ ...this.base("help", region), lead: text, confidence: 1 });
  }

  /** "tell me more": the topics related to the last answer, as suggestions. */
  more(related: Fact[], region: RegionCode): Reply {
    return this.done({
      ...this.base("suggest", region),
      lead: this.replies.small_talk.more_intro,
      confidence: 1,
      suggestions: related.map((f) => this.topicRef(f)),
    });
  }

  /** `define` with a term the glossary does not have: say so, and offer the nearest terms. */
  notInGlossary(nearest: TopicRef[], region: RegionCode): Reply {
    return this.done({ ...this.base("fallback", region), lead: this.replies.not_in_glossary, suggestions: nearest });
  }

  topics(groups: { tag: string; topics: TopicRef[] }[], region: RegionCode): Reply {
    return this.done({
      ...this.base("help", region),
      lead: this.replies.topics_intro,
      confidence: 1,
      catalogue: groups.map((g) => ({ name: `${g.tag[0]?.toUpperCase() ?? ""}${g.tag.slice(1)}`, topics: g.topics })),
    });
  }

  /** A fact's answer carrying a resources reply's lines (and its route and rule). */
  withReferrals(answer: Reply, lines: Reply): Reply {
    const { text: _text, ...fields } = answer;
    return this.done({
      ...fields,
      referrals: lines.referrals,
      resources: lines.resources,
      rule: lines.rule,
      safety: lines.safety,
    });
  }

  /** The same reply with one more closing line (the text derived again). */
  withFooter(reply: Reply, line: string): Reply {
    const { text: _text, ...fields } = reply;
    return this.done({ ...fields, footer: [...fields.footer, line] });
  }

  rateLimited(region: RegionCode): Reply {
    const referral = this.referrals.referral(region, []);
    return this.done({
      ...this.base("help", region),
      lead: this.replies.rate_limited,
      confidence: 1,
      referrals: [
        { region, emergency: this.emergencyLine(referral, false), heading: null, services: [], purpose: false },
      ],
      resources: referral.emergency ? [referral.emergency] : [],
    });
  }

  help(region: RegionCode): Reply {
    return this.done({
      ...this.base("help", region),
      lead: this.replies.help,
      bullets: this.replies.help_examples,
      confidence: 1,
    });
  }

  urgent(
    region: RegionCode,
    variant: "adult" | "young_person",
    rule: string,
    safeguardingContact?: string | null,
  ): Reply {
    const youngPerson = variant === "young_person";
    const kinds: ResourceKind[] = youngPerson ? ["helpline", "report"] : ["report", "helpline"];
    const referral = this.referrals.referral(region, kinds);
    // prevention lines are for people worried about their own behaviour, not for a disclosure
    referral.services = referral.services.filter((s) => s.kind !== "prevention" && s.urgent);
    referral.international = referral.international.filter(
      (s) => (s.kind === "directory" || s.kind === "report") && s.urgent,
    );
    const copy = youngPerson ? this.replies.urgent.young_person : this.replies.urgent.adult;
    const contact =
      safeguardingContact && !youngPerson
        ? fill(this.replies.safeguarding_contact, { contact: safeguardingContact })
        : null;
    return this.done({
      ...this.base("urgent", region),
      lead: this.emergencyLine(referral, youngPerson),
      body: [copy.opening],
      confidence: 1,
      referrals: this.groups(referral, region),
      nextSteps: { title: copy.next_title, steps: copy.next_steps, contact },
      resources: this.resourcesOf(referral),
      rule,
      variant,
      sensitive: true,
    });
  }

  refusal(region: RegionCode, rule: string): Reply {
    const prevention = this.referrals.prevention(region);
    const emergency = this.referrals.emergencyFor(region);
    const report = [
      ...(region === "INTL" ? [] : this.referrals.services(region, ["report"], { only: true })),
      ...this.referrals.services("INTL", ["report"], { only: true }),
    ];
    const r = this.replies.refusal;
    return this.done({
      ...this.base("refusal", region),
      lead: r.text,
      confidence: 1,
      referrals: [
        { region, emergency: null, heading: r.prevention_intro, services: prevention, purpose: false },
        {
          region,
          emergency: this.emergencyLine({ emergency, services: [], international: [] }, false),
          heading: r.report_intro,
          services: report,
          purpose: false,
        },
      ],
      resources: [...prevention, ...(emergency ? [emergency] : []), ...report],
      rule,
      sensitive: true,
    });
  }

  helpSeeking(region: RegionCode, rule: string): Reply {
    const prevention = this.referrals.prevention(region);
    const directory = this.referrals.services("INTL", ["directory"], { only: true });
    const h = this.replies.help_seeking;
    return this.done({
      ...this.base("resources", region),
      lead: h.text,
      confidence: 1,
      referrals: [
        { region, emergency: null, heading: h.intro, services: prevention, purpose: false },
        {
          region: "INTL",
          emergency: null,
          heading: this.replies.international_intro,
          services: directory,
          purpose: false,
        },
      ],
      rule,
      sensitive: true,
    });
  }

  /**
   * Care first in the uncertain middle: urgent or refusal is likely but not certain. No fact and no
   * "I don't know": the emergency number and reporting lines in case a particular child is at risk,
   * and the way to the topics for someone who wants general facts. Where a harmful request was the
   * likely reading, the prevention lines too (the refusal's referral), after the reporting lines.
   */
  checkIn(region: RegionCode, rule: string, likely: "urgent" | "refusal" = "urgent"): Reply {
    const referral = this.referrals.referral(region, ["report", "helpline"]);
    referral.services = referral.services.filter((s) => s.kind !== "prevention" && s.urgent);
    referral.international = referral.international.filter((s) => s.kind === "report" && s.urgent);
    const c = this.replies.check_in;
    const prevention = likely === "refusal" ? this.referrals.prevention(region) : [];
    const groups = this.groups(referral, region, { emergency: this.emergencyLine(referral, false) });
    if (prevention.length > 0) {
      groups.push({ region, emergency: null, heading: c.prevention_intro, services: prevention, purpose: false });
    }
    return this.done({
      ...this.base("check_in", region),
      lead: c.text,
      body: [c.particular_child],
      referrals: groups,
      footer: [c.general],
      resources: [...this.resourcesOf(referral), ...prevention],
      rule,
      sensitive: true,
    });
  }

  /** Guidance for a moderator: the moderation fact, then the region's lines to report to. */
  moderator(fact: Fact, related: Fact[], region: RegionCode, rule: string, confidence: number): Reply {
    const referral = this.referrals.referral(region, ["report"]);
    referral.services = referral.services.filter((s) => s.kind === "report");
    referral.international = referral.international.filter((s) => s.kind === "report");
    return this.done({
      ...this.answerFields(fact, confidence, region, related, []),
      referrals: this.groups(referral, region, { emergency: this.emergencyLine(referral, false) }),
      resources: this.resourcesOf(referral),
      rule,
    });
  }

  resources(region: RegionCode, kinds: ResourceKind[], rule: string | null): Reply {
    const referral = this.referrals.referral(region, kinds);
    return this.done({
      ...this.base("resources", region),
      confidence: 1,
      referrals: this.groups(referral, region, { emergency: this.emergencyLine(referral, false), purpose: true }),
      resources: this.resourcesOf(referral),
      rule,
    });
  }
}

type ResourceKind = ResourceRef["kind"];
