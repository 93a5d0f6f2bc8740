/** What every Slack listener is given: the engine, communities, the shared request log and memory. */
import type { RespondFn } from "@slack/bolt";
import type { LastAnswers, QuestionGate, RequestLog } from "../../../src/adapter.js";
import type { Communities } from "../../../src/communities.js";
import type { Engine } from "../../../src/engine/engine.js";
import type { Logger } from "../../../src/log.js";

export interface ListenerContext extends RequestLog {
  engine: Engine;
  log: Logger;
  /** settings, counters and alerts per workspace (src/communities.ts) */
  communities: Communities;
  /** the last fact per conversation, for "tell me more" */
  last: LastAnswers;
  /** the last question per member, in memory, only in workspaces that keep unanswered questions */
  lastQuestions: Map<string, string>;
  /** the rate limit: a member's reply, or "please wait" (never instead of an urgent reply) */
  gate: QuestionGate;
  /** "This has expired": for an id no listener knows, or a fact since removed */
  expired: (respond: RespondFn) => Promise<void>;
}
