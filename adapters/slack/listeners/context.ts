/** What every Slack listener is given: the engine, the shared request log and the conversation memory. */
import type { RespondFn } from "@slack/bolt";
import type { LastAnswers, QuestionGate, RequestLog } from "../../../src/adapter.js";
import type { Engine } from "../../../src/engine/engine.js";
import type { Logger } from "../../../src/log.js";

export interface ListenerContext extends RequestLog {
  engine: Engine;
  log: Logger;
  /** the last fact per conversation, for "tell me more" */
  last: LastAnswers;
  /** the rate limit: a member's reply, or "please wait" (never instead of an urgent reply) */
  gate: QuestionGate;
  /** "This has expired": for an id no listener knows, or a fact since removed */
  expired: (respond: RespondFn) => Promise<void>;
}
