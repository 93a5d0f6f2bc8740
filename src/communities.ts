/**
 * What the adapters do around the engine for a community (a Slack workspace, a Discord server):
 * read its settings (falling back to the environment), count what was answered, keep the text of
 * unanswered questions where it opted in, and decide when its moderators get an alert. Every store
 * call is bounded and never blocks or withholds a reply: a store that fails or hangs is logged,
 * counted, and treated as "no settings".
 */
import { type LastAnswers, type QuestionGate, type RegionChoice, regionChoices } from "./adapter.js";
import type { AskOptions, Engine } from "./engine/engine.js";
import { type Reply, ruleName } from "./engine/reply.js";
import { describeError, type Logger } from "./log.js";
import type { Metrics } from "./metrics.js";
import { type CommunitySettings, DEFAULT_SETTINGS, type Store } from "./store/store.js";

export interface Place {
  platform: "slack" | "discord";
  /** the workspace or server id; absent for a direct message outside any server */
  community?: string | null;
  /** only the asker sees the question (a slash command, a direct message) */
  private: boolean;
}

/** What a moderator alert says: never the message, only what kind, which rule, where and who. */
export interface Alert {
  kind: "urgent" | "refusal";
  rule: string;
}

/** One message to answer in a community, as the adapter received it. */
export interface Asked {
  place: Place;
  /** the platform's user id (absent where the platform gives none) */
  user?: string;
  text: string;
  /** where "tell me more" looks for the last answer */
  conversation: string;
}

/** What an adapter brings to `answer`: its memory, its rate limit, and how it posts an alert. */
export interface AnswerParts {
  last: LastAnswers;
  /** the last question per member, in memory, only in communities that keep unanswered questions */
  lastQuestions: Map<string, string>;
  gate: QuestionGate;
  /** the engine's reply under the community's options (a question, a command, a subcommand) */
  produce: (options: AskOptions) => Reply;
  /** post the alert to the moderators' channel; true when it was posted */
  sendAlert: (channel: string, alert: Alert) => Promise<boolean>;
  /** how long the reply waits for the alert before going without saying moderators were told */
  alertWaitMs?: number;
}

/** A store call that takes longer than this is abandoned for the reply's sake (and logged). */
const STORE_TIMEOUT_MS = 1500;

/** Which replies count as unanswered, and may have their question kept where a community opted in. */
const UNANSWERED = new Set<Reply["kind"]>(["fallback", "suggest"]);

export class Communities {
  constructor(
    readonly engine: Engine,
    readonly log: Logger,
    readonly store?: Store,
    readonly metrics?: Metrics,
  ) {}

  key(place: Place): string | null {
    return place.community ? `${place.platform}:${place.community}` : null;
  }

  private async safely<T>(what: string, fallback: T, work: () => Promise<T>): Promise<T> {
    if (!this.store) return fallback;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work(),
        new Promise<T>((_, reject) => {
          timer = setTimeout(() => reject(new Error("store timed out")), STORE_TIMEOUT_MS);
          timer.unref();
        }),
      ]);
    } catch (err) {
      this.metrics?.storeErrors.inc();
      this.log.error({ event: "store_failed", action: what, error: describeError(err) });
      return fallback;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The one way a message is answered in a community: its settings, the engine, the rate limit, the
   * conversation's memory, the moderator alert (sent first, so the reply can say it was), counters,
   * and the region picker where the community has no region of its own.
   */
  async answer(asked: Asked, parts: AnswerParts): Promise<{ reply: Reply; regions?: RegionChoice[] }> {
    const { place, user, text, conversation } = asked;
    const settings = await this.settings(place);
    let reply = await parts.gate(parts.produce(this.askOptions(settings, parts.last.get(conversation))), {
      user,
      team: place.community ?? undefined,
    });
    parts.last.remember(conversation, reply);
    if (settings.collectUnanswered && user) parts.lastQuestions.set(`${place.community}:${user}`, text);
    const alert = this.alertFor(place, settings, reply);
    if (alert && settings.alertChannel) {
      const sent = parts.sendAlert(settings.alertChannel, alert);
      if (await withinTime(sent, parts.alertWaitMs)) reply = this.engine.noteAlert(reply);
    }
    void this.record(place, settings, reply, text);
    return {
      reply,
      ...(this.wantsRegionPicker(settings, reply) ? { regions: regionChoices(this.engine, reply) } : {}),
    };
  }

  async settings(place: Place): Promise<CommunitySettings> {
    const key = this.key(place);
    if (!key) return DEFAULT_SETTINGS;
    return this.safely("settings", DEFAULT_SETTINGS, () => (this.store as Store).settings(key));
  }

  async save(place: Place, patch: Partial<CommunitySettings>): Promise<CommunitySettings | null> {
    const key = this.key(place);
    if (!key || !this.store) return null;
    return this.safely("save_settings", null, () => (this.store as Store).saveSettings(key, patch));
  }

  /** How the engine answers in this community: its region and contact, else the deployment's. */
  askOptions(settings: CommunitySettings, previousFactId: string | null = null): AskOptions {
    return {
      previousFactId,
      ...(settings.region ? { region: settings.region } : {}),
      ...(settings.safeguardingContact ? { safeguardingContact: settings.safeguardingContact } : {}),
      collecting: settings.collectUnanswered,
    };
  }

  /**
   * Count the reply (kind, fact, rule, unanswered) for the community and day; keep the question's text,
   * scrubbed, only where the community opted in, only when it went unanswered, and never for a message
   * routed to a safety reply.
   */
  async record(place: Place, settings: CommunitySettings, reply: Reply, question: string): Promise<void> {
    const key = this.key(place);
    if (!key) return;
    await this.safely("record", undefined, async () => {
      const store = this.store as Store;
      await store.count(key, "kind", reply.kind);
      if (reply.kind === "answer" && reply.factId) await store.count(key, "fact", reply.factId);
      if (reply.rule) await store.count(key, "rule", ruleName(reply.rule));
      if (UNANSWERED.has(reply.kind) && !reply.sensitive && reply.rule === null) {
        await store.count(key, "unanswered", "");
        if (settings.collectUnanswered) {
          const kind = reply.kind === "suggest" ? "suggest" : "fallback";
          await store.keepUnanswered(key, kind, question, reply.suggestions[0]?.id ?? null);
        }
      }
    });
  }

  /** "Helpful" / "Not helpful" on an answer; the question is kept for "not helpful" where opted in. */
  async feedback(place: Place, factId: string, helpful: boolean, question: string | null): Promise<void> {
    const key = this.key(place);
    if (!key) return;
    const settings = await this.settings(place);
    await this.safely("feedback", undefined, async () => {
      const store = this.store as Store;
      await store.count(key, helpful ? "helpful" : "not_helpful", factId);
      if (!helpful && question && settings.collectUnanswered) {
        await store.keepUnanswered(key, "not_helpful", question, factId);
      }
    });
  }

  /**
   * Whether this reply alerts the community's moderators: an urgent reply to a message others can read
   * (or to any message, where the community asked for private questions too), and a refusal in a
   * channel others can read. Only where an alert channel is set.
   */
  alertFor(place: Place, settings: CommunitySettings, reply: Reply): Alert | null {
    if (!settings.alertChannel || !this.key(place)) return null;
    const rule = ruleName(reply.rule);
    if (reply.kind === "urgent" && (!place.private || settings.alertPrivate)) return { kind: "urgent", rule };
    if (reply.kind === "refusal" && !place.private) return { kind: "refusal", rule };
    return null;
  }

  /** Offer a region picker: the community has no region of its own, and the reply carries lines to call. */
  wantsRegionPicker(settings: CommunitySettings, reply: Reply): boolean {
    return settings.region === null && (reply.kind === "urgent" || reply.kind === "resources");
  }
}

/** `work`'s result, or false once `ms` have passed (no limit without `ms`). */
async function withinTime(work: Promise<boolean>, ms: number | undefined): Promise<boolean> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const result = await Promise.race([work, late]);
  clearTimeout(timer);
  return result;
}
