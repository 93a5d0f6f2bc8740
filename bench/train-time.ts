/**
 * `npm run train`'s time, in a process of its own: the bench's process has by then built engines of
 * 10,000 facts and served 40,000 requests, and its heap made training there a fifth slower than
 * `npm run train` itself. Prints one JSON line last: wall clock and CPU seconds.
 */
import { trainSafetyModel } from "../src/cli/train.js";
import { shippedKnowledgeDir } from "../src/knowledge/load.js";

const trained = await trainSafetyModel(shippedKnowledgeDir());
process.stdout.write(`\n${JSON.stringify({ seconds: trained.seconds, cpuSeconds: trained.cpuSeconds })}\n`);
