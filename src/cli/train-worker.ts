/**
 * Trains one fastText-and-linear labeller in a worker thread (train.ts): the fact classifier trains
 * on the second core while the safety classifier trains on the first. fastText runs on one thread in
 * each, seeded, so the bytes are the same as in the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { trainFastTextViews, type View } from "../engine/safety/fasttext.js";
import type { LinearParams } from "../engine/safety/linear.js";

export interface TrainJob {
  lines: string[];
  params: Record<string, number | string>;
  views: View[];
  linear: LinearParams | null;
}

const job = workerData as TrainJob;
const model = await trainFastTextViews(job.lines, job.params, job.views, job.linear);
parentPort?.postMessage(await model.bytes());
