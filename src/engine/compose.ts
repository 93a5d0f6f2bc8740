/**
 * Builds Reply objects from curated pieces only: fact answers, the reply texts in knowledge/replies.yaml
 * and the referral directory. Nothing here can place a user's words in a reply, which is what makes the
 * "never echo" rule hold by construction (the property tests check it from the outside).
 */
import { Citations, rankCitations } from "../knowledge/citations.js";
import type { Fact, Knowledge, RegionCode, Replies, SmallTalkIntent } from "../knowledge/schema.js";
import type { Referral, Referrals } from "./referrals.js";
import { type Reply, type ResourceRef, sourceText, type TopicRef } from "./reply.js";

export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

/** One line per service: name, contacts and the address its details were read from. */
/** How to reach a service: "call 1-888-373-7888, text 233733, TTY 711, humantraffickinghotline.org". */
export function contactText(s: ResourceRef): string {
  const c = s.contacts;
  return [c.phone && `call ${c.phone}`, c.text && `text ${c.text}`, c.tty && `TTY ${c.tty}`, c.web, c.email]
    .filter(Boolean)
    .join(", ");
}

export function serviceLine(s: ResourceRef, withFor = false): string {
  const c = s.contacts;
  const source = s.source !== c.web ? ` (source: ${s.source})` : "";
  const purpose = withFor ? ` (${s.for})` : "";
  return `- ${s.name}${purpose}: ${contactText(s)}${source}`;
}

function list(lines: string[]): string {
  return lines.join("\n");
}

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

  private base(kind: Reply["kind"], text: string, region: RegionCode): Reply {
    return {
      kind,
      text,
      factId: null,
      title: null,
      answer: null,
      notes: [],
      confidence: 0,
      source: null,
      related: [],
      suggestions: [],
      resources: [],
      region,
      rule: null,
      sensitive: false,
    };
  }

  private emergencyLine(referral: Referral, self: boolean): string {
    const number = referral.emergency?.contacts.phone;
    if (!number) return this.replies.emergency_line_intl;
    return fill(self ? this.replies.emergency_line_self : this.replies.emergency_line, { number });
  }

  private referralBlock(referral: Referral, region: RegionCode, withFor = false): string[] {
    const lines: string[] = [];
    if (referral.services.length > 0) {
      lines.push(fill(this.replies.resources_intro, { region: this.referrals.regionName(region) }));
      lines.push(...referral.services.map((s) => serviceLine(s, withFor)));
    }
    if (referral.international.length > 0) {
      lines.push(this.replies.international_intro);
      lines.push(...referral.international.map((s) => serviceLine(s, withFor)));
    }
    return lines;
  }

  private resourcesOf(referral: Referral): ResourceRef[] {
    return [...(referral.emergency ? [referral.emergency] : []), ...referral.services, ...referral.international];
  }

  topicRef(fact: Fact): TopicRef {
    return { id: fact.id, title: fact.title };
  }

  answer(fact: Fact, confidence: number, region: RegionCode, related: Fact[], olderTerms: string[]): Reply {
    const document = this.documentTitles.get(fact.source.document) ?? fact.source.document;
    const cited = rankCitations(this.citations.of(fact.source.document, fact.source.quote), fact.title, fact.answer);
    const source = { document: fact.source.document, title: document, quote: fact.source.quote, cited };
    const lines = [fact.title, fact.answer];
    for (const note of olderTerms) lines.push(note);
    lines.push(fill(this.replies.source_line, { document: sourceText(source) }));
    if (related.length > 0) {
      lines.push(fill(this.replies.related_line, { titles: related.map((f) => f.title).join("; ") }));
    }
    return {
      ...this.base("answer", list(lines), region),
      factId: fact.id,
      title: fact.title,
      answer: fact.answer,
      notes: olderTerms,
      confidence,
      source,
      related: related.map((f) => this.topicRef(f)),
    };
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
    const lines = [kind === "suggest" ? this.replies.suggest : this.replies.fallback];
    if (outsideSubject) lines.unshift(fill(this.replies.outside_subject, { subject: outsideSubject }));
    lines.push(...topics.map((f) => `- ${f.title}`));
    lines.push(this.emergencyLine(referral, false));
    lines.push(...this.referralBlock(referral, region));
    return {
      ...this.base(kind, list(lines), region),
      confidence,
      suggestions: topics.map((f) => this.topicRef(f)),
      resources: this.resourcesOf(referral),
    };
  }

  /**
   * A message in another language: one line in that language (English where we have no translation)
   * saying the bot answers in English, then the emergency number and the region's lines.
   */
  otherLanguage(code: string, region: RegionCode): Reply {
    const o = this.replies.other_language;
    const referral = this.referrals.referral(region, ["report", "helpline"]);
    referral.services = referral.services.filter((s) => s.kind !== "prevention" && s.urgent);
    const lines = [
      o.lines[code] ?? o.default,
      this.emergencyLine(referral, false),
      ...this.referralBlock(referral, region),
    ];
    return {
      ...this.base("fallback", list(lines), region),
      resources: this.resourcesOf(referral),
      rule: `language:${code}`,
      // we could not read it: it may be a disclosure, so it is shown only to the person where possible
      sensitive: true,
    };
  }

  /** Small talk: thanks, "are you a bot", "is this confidential", or "tell me more" with nothing before. */
  smallTalk(intent: SmallTalkIntent, region: RegionCode): Reply {
    const t = this.replies.small_talk;
    const text = intent === "more" ? t.more_none : t[intent];
    return { ...this.base("help", text, region), confidence: 1 };
  }

  /** "tell me more": the topics related to the last answer, as suggestions. */
  more(related: Fact[], region: RegionCode): Reply {
    const lines = [this.replies.small_talk.more_intro, ...related.map((f) => `- ${f.title}`)];
    return {
      ...this.base("suggest", list(lines), region),
      confidence: 1,
      suggestions: related.map((f) => this.topicRef(f)),
    };
  }

  /** `define` with a term the glossary does not have: say so, and offer the nearest terms. */
  notInGlossary(nearest: TopicRef[], region: RegionCode): Reply {
    const lines = [this.replies.not_in_glossary, ...nearest.map((t) => `- ${t.title}`)];
    return { ...this.base("fallback", list(lines), region), suggestions: nearest };
  }

  topics(groups: { tag: string; topics: TopicRef[] }[], region: RegionCode): Reply {
    const lines = [this.replies.topics_intro];
    for (const g of groups)
      lines.push(`${g.tag[0]?.toUpperCase() ?? ""}${g.tag.slice(1)}: ${g.topics.map((t) => t.title).join("; ")}`);
    return {
      ...this.base("help", list(lines), region),
      confidence: 1,
      suggestions: groups.flatMap((g) => g.topics),
    };
  }

  help(region: RegionCode): Reply {
    const examples = this.replies.help_examples.map((e) => `- ${e}`);
    return { ...this.base("help", list([this.replies.help, ...examples]), region), confidence: 1 };
  }

  urgent(region: RegionCode, variant: "adult" | "young_person", rule: string, safeguardingContact?: string): Reply {
    const youngPerson = variant === "young_person";
    const kinds: ResourceKind[] = youngPerson ? ["helpline", "report"] : ["report", "helpline"];
    const referral = this.referrals.referral(region, kinds);
    // prevention lines are for people worried about their own behaviour, not for a disclosure
    referral.services = referral.services.filter((s) => s.kind !== "prevention" && s.urgent);
    referral.international = referral.international.filter(
      (s) => (s.kind === "directory" || s.kind === "report") && s.urgent,
    );
    const copy = youngPerson ? this.replies.urgent.young_person : this.replies.urgent.adult;
    const lines = [this.emergencyLine(referral, youngPerson), copy.opening];
    const block = this.referralBlock(referral, region);
    const international = block.indexOf(this.replies.international_intro);
    lines.push(...(international >= 0 ? block.slice(0, international) : block));
    lines.push(copy.next_title, ...copy.next_steps.map((s) => `- ${s}`));
    if (safeguardingContact && !youngPerson) {
      lines.push(fill(this.replies.safeguarding_contact, { contact: safeguardingContact }));
    }
    if (international >= 0) lines.push(...block.slice(international));
    return {
      ...this.base("urgent", list(lines), region),
      confidence: 1,
      resources: this.resourcesOf(referral),
      rule,
      sensitive: true,
    };
  }

  refusal(region: RegionCode, rule: string): Reply {
    const prevention = this.referrals.prevention(region);
    const emergency = this.referrals.emergencyFor(region);
    const report = [
      ...(region === "INTL" ? [] : this.referrals.services(region, ["report"], { only: true })),
      ...this.referrals.services("INTL", ["report"], { only: true }),
    ];
    const r = this.replies.refusal;
    const lines = [r.text, r.prevention_intro, ...prevention.map((s) => serviceLine(s)), r.report_intro];
    lines.push(
      emergency
        ? fill(this.replies.emergency_line, { number: emergency.contacts.phone ?? "" })
        : this.replies.emergency_line_intl,
    );
    lines.push(...report.map((s) => serviceLine(s)));
    return {
      ...this.base("refusal", list(lines), region),
      confidence: 1,
      resources: [...prevention, ...(emergency ? [emergency] : []), ...report],
      rule,
      sensitive: true,
    };
  }

  helpSeeking(region: RegionCode, rule: string): Reply {
    const prevention = this.referrals.prevention(region);
    const directory = this.referrals.services("INTL", ["directory"], { only: true });
    const h = this.replies.help_seeking;
    const lines = [h.text, h.intro, ...prevention.map((s) => serviceLine(s))];
    lines.push(this.replies.international_intro, ...directory.map((s) => serviceLine(s)));
    return {
      ...this.base("resources", list(lines), region),
      confidence: 1,
      resources: [...prevention, ...directory],
      rule,
      sensitive: true,
    };
  }

  /**
   * Care first in the uncertain middle: urgent or refusal is likely but not certain. No fact and no
   * "I don't know": the emergency number and reporting lines in case a particular child is at risk,
   * and the way to the topics for someone who wants general facts.
   */
  checkIn(region: RegionCode, rule: string): Reply {
    const referral = this.referrals.referral(region, ["report", "helpline"]);
    referral.services = referral.services.filter((s) => s.kind !== "prevention" && s.urgent);
    referral.international = referral.international.filter((s) => s.kind === "report" && s.urgent);
    const c = this.replies.check_in;
    const lines = [c.text, c.particular_child, this.emergencyLine(referral, false)];
    lines.push(...this.referralBlock(referral, region), c.general);
    return {
      ...this.base("check_in", list(lines), region),
      resources: this.resourcesOf(referral),
      rule,
      sensitive: true,
    };
  }

  /** Guidance for a moderator: the moderation fact, then the region's lines to report to. */
  moderator(fact: Fact, related: Fact[], region: RegionCode, rule: string): Reply {
    const reply = this.answer(fact, 1, region, related, []);
    const referral = this.referrals.referral(region, ["report"]);
    referral.services = referral.services.filter((s) => s.kind === "report");
    referral.international = referral.international.filter((s) => s.kind === "report");
    const lines = [reply.text, this.emergencyLine(referral, false), ...this.referralBlock(referral, region)];
    return { ...reply, text: list(lines), resources: this.resourcesOf(referral), rule };
  }

  resources(region: RegionCode, kinds: ResourceKind[], rule: string | null): Reply {
    const referral = this.referrals.referral(region, kinds);
    const lines = [this.emergencyLine(referral, false), ...this.referralBlock(referral, region, true)];
    return {
      ...this.base("resources", list(lines), region),
      confidence: 1,
      resources: this.resourcesOf(referral),
      rule,
    };
  }
}

type ResourceKind = ResourceRef["kind"];
