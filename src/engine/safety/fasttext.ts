/**
 * fastText supervised models through fasttext.wasm.js: loading a trained model from bytes (for the
 * engine) and training one from labelled lines (for `npm run train`). WebAssembly start-up is
 * asynchronous, so this is the one async step before the engine is built; prediction is synchronous.
 * Two models use it: the safety classifier and the open-set fact classifier.
 */
import { FastTextModel, getFastTextClass, getFastTextModule } from "fasttext.wasm.js";
import { SafetyClassSchema } from "../../knowledge/schema.js";
import {
  classifierText,
  type Probabilities,
  type RuleVerdict,
  type SafetyClassifier,
  zeroProbabilities,
} from "./classifier.js";
import { isLinearModel, LinearLabeller, type LinearParams, loadLinear, trainLinear } from "./linear.js";

const LABEL_PREFIX = "__label__";

/**
 * A fresh WebAssembly instance for each model. fastText's state is not separate between two models in
 * one instance: a model trained after another came out with the first one's labels (seen here), so
 * every model trained or loaded gets its own instance (a few MB each).
 */
function fastText() {
  return getFastTextClass({ getFastTextModule });
}

let nextFile = 0;

export interface Labelled {
  label: string;
  p: number;
}

/** Labels and their probabilities for a text already prepared: one fastText model, or several averaged. */
export interface Labeller {
  /** The `k` most likely labels (all with -1), most likely first. */
  labels(prepared: string, k?: number): Labelled[];
  /** The bytes `loadFastText` reads back. */
  bytes(): Promise<Uint8Array>;
}

/** A trained fastText model: labels and their probabilities for a text already prepared. */
export class FastTextLabeller implements Member {
  constructor(private readonly model: FastTextModel) {}

  /** The `k` most likely labels (all with -1), most likely first. */
  labels(prepared: string, k = -1): Labelled[] {
    const out: Labelled[] = [];
    this.each(prepared, k, (label, p) => out.push({ label, p }));
    return out;
  }

  /** Every label's probability, most likely first, handed to `visit` (no array for an ensemble to merge). */
  each(prepared: string, k: number, visit: (label: string, p: number) => void, floor = 0): void {
    const vector = this.model.predict(prepared, k, floor);
    try {
      const n = vector.size();
      for (let i = 0; i < n; i++) {
        const [p, label] = vector.get(i) as [number, string];
        visit(label.slice(LABEL_PREFIX.length), p);
      }
    } finally {
      // embind vectors live on the WebAssembly heap until deleted
      (vector as unknown as { delete?: () => void }).delete?.();
    }
  }

  /** The model file as fastText writes it (`saveModel` goes through the in-memory file system). */
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.model.saveModel().arrayBuffer());
  }
}

/** A model that hands every label's probability to a visitor: a fastText view or the linear model. */
export interface Member extends Labeller {
  /** `floor`: labels below this probability may be left out (a model that computes them all may ignore it) */
  each(prepared: string, k: number, visit: (label: string, p: number) => void, floor?: number): void;
}

/**
 * For a top-k question (the fact classifier's best three of 150 labels), each fastText view returns
 * only the labels at or above this probability: returning all 150 through WebAssembly took most of
 * guess()'s 0.23 ms. A label left out would have added less than this to its average, far below
 * any probability the engine acts on.
 */
const TOP_K_FLOOR = 1e-4;

/**
 * Several models, their probabilities averaged: fastText models over different views of the same text
 * (words only, characters only, both) and the full-rank linear model (linear.ts). Each errs on
 * different messages, so the average generalises better than any one of them: on the dev batches four
 * views gave 94.2% right and log loss 0.182, against 92.9% and 0.219 for the best single model
 * (measured when this was added). The linear models share their `share` of the weight, the fastText
 * views the rest, equally.
 */
export class EnsembleLabeller implements Labeller {
  private readonly weights: number[];

  constructor(readonly views: Member[]) {
    if (views.length === 0) throw new Error("an ensemble needs at least one model");
    const linears = views.filter((v): v is LinearLabeller => v instanceof LinearLabeller);
    const linear = linears.length;
    const other = views.length - linear;
    const wanted = linears.reduce((sum, v) => sum + v.params.share, 0) / Math.max(1, linear);
    const share = linear === 0 ? 0 : other === 0 ? 1 : wanted;
    this.weights = views.map((v) => (v instanceof LinearLabeller ? share / linear : (1 - share) / other));
  }

  labels(prepared: string, k = -1): Labelled[] {
    const sum = new Map<string, number>();
    for (const [i, view] of this.views.entries()) {
      const weight = this.weights[i] as number;
      view.each(
        prepared,
        -1,
        (label, p) => sum.set(label, (sum.get(label) ?? 0) + p * weight),
        k < 0 ? 0 : TOP_K_FLOOR,
      );
    }
    const out: Labelled[] = [];
    for (const [label, p] of sum) out.push({ label, p });
    out.sort((a, b) => b.p - a.p);
    return k < 0 ? out : out.slice(0, k);
  }

  async bytes(): Promise<Uint8Array> {
    return packModels(await Promise.all(this.views.map((v) => v.bytes())));
  }
}

/**
 * Several model files in one: a magic line, the count and each length (32-bit little-endian), then the
 * files. A plain fastText file starts with its own magic number, so both kinds load through one call.
 */
const PACK_MAGIC = Buffer.from("csec-factbot models 1\n");

export function packModels(parts: Uint8Array[]): Uint8Array {
  const head = Buffer.alloc(4 * (parts.length + 1));
  head.writeUInt32LE(parts.length, 0);
  for (const [i, p] of parts.entries()) head.writeUInt32LE(p.length, 4 * (i + 1));
  return new Uint8Array(Buffer.concat([PACK_MAGIC, head, ...parts]));
}

/** The model files in `bytes`: several if `packModels` wrote it, else the one plain fastText file. */
export function unpackModels(bytes: Uint8Array): Uint8Array[] {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < PACK_MAGIC.length || !buf.subarray(0, PACK_MAGIC.length).equals(PACK_MAGIC)) return [bytes];
  let at = PACK_MAGIC.length;
  const count = buf.readUInt32LE(at);
  const lengths = Array.from({ length: count }, (_, i) => buf.readUInt32LE(at + 4 * (i + 1)));
  at += 4 * (count + 1);
  return lengths.map((n) => {
    if (at + n > buf.length) throw new Error("a packed model file is cut short");
    const part = bytes.subarray(at, at + n);
    at += n;
    return part;
  });
}

/** The safety classifier over a fastText model; it reads text as `classifierText` prepares it. */
export class FastTextClassifier implements SafetyClassifier {
  constructor(readonly labeller: Labeller) {}

  predict(text: string, rule: RuleVerdict | null = null): Probabilities {
    const out = zeroProbabilities();
    for (const { label, p } of this.labeller.labels(classifierText(text, rule))) {
      const name = SafetyClassSchema.safeParse(label);
      if (name.success) out[name.data] = p;
    }
    return out;
  }
}

/** Models already loaded, by their bytes: engines built over the same knowledge share one. */
const loaded = new WeakMap<Uint8Array, Promise<Labeller>>();

/** Load a model that `npm run train` wrote (knowledge/safety/*.bin): one fastText file or several packed. */
export function loadFastText(bytes: Uint8Array): Promise<Labeller> {
  const known = loaded.get(bytes);
  if (known) return known;
  const parts = unpackModels(bytes);
  const loading =
    parts.length === 1 && parts[0] === bytes
      ? loadModel(bytes)
      : Promise.all(parts.map((part) => (isLinearModel(part) ? loadLinear(part) : loadModel(part)))).then(
          (views) => new EnsembleLabeller(views),
        );
  loaded.set(bytes, loading);
  return loading;
}

async function loadModel(bytes: Uint8Array): Promise<FastTextLabeller> {
  const FastText = await fastText();
  const ft = new FastText();
  const path = `/model-${nextFile++}.bin`;
  ft.fs.writeFile(path, bytes);
  ft.ft.loadModel(path);
  ft.fs.unlink(path);
  return new FastTextLabeller(new FastTextModel(ft.ft, ft.core));
}

export async function loadFastTextClassifier(bytes: Uint8Array): Promise<FastTextClassifier> {
  return new FastTextClassifier(await loadFastText(bytes));
}

/** One labelled example per line, as fastText reads them. */
export function trainingLine(label: string, text: string, rule: RuleVerdict | null = null): string {
  return `${LABEL_PREFIX}${label} ${classifierText(text, rule)}`;
}

/** Parameters for one view: the shared parameters with some changed (`{ minn: 0, maxn: 0 }`: words only). */
export type View = Record<string, number | string>;

/**
 * One model per view on the same lines, averaged (`EnsembleLabeller`), and the linear model beside
 * them when `linear` is given; with no views and no linear model, the one model the parameters
 * describe. Models train one after another, each deterministic.
 */
export async function trainFastTextViews(
  lines: string[],
  params: Record<string, number | string>,
  views: View[] = [],
  linear: LinearParams | null = null,
): Promise<Labeller> {
  if (views.length === 0 && !linear) return trainFastText(lines, params);
  const models: Member[] = [];
  for (const view of views.length > 0 ? views : [{}]) models.push(await trainFastText(lines, { ...params, ...view }));
  if (linear) models.push(trainLinear(lines, linear));
  return new EnsembleLabeller(models);
}

/**
 * Train a supervised model on labelled lines. fastText runs on one thread here (fasttext.wasm.js sets
 * it), so with a fixed `seed` the same lines and parameters give the same model, byte for byte.
 */
export async function trainFastText(
  lines: string[],
  params: Record<string, number | string>,
): Promise<FastTextLabeller> {
  const FastText = await fastText();
  const ft = new FastText();
  const data = `data:text/plain;base64,${Buffer.from(`${lines.join("\n")}\n`).toString("base64")}`;
  // the callback must be a function: fastText calls it from its training loop
  const model = (await ft.trainSupervised(data, params, () => {})) as FastTextModel;
  return new FastTextLabeller(model);
}
