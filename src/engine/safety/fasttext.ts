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

/** A trained fastText model: labels and their probabilities for a text already prepared. */
export class FastTextLabeller {
  constructor(private readonly model: FastTextModel) {}

  /** The `k` most likely labels (all with -1), most likely first. */
  labels(prepared: string, k = -1): Labelled[] {
    const vector = this.model.predict(prepared, k, 0);
    try {
      const out: Labelled[] = [];
      for (let i = 0; i < vector.size(); i++) {
        const [p, label] = vector.get(i) as [number, string];
        out.push({ label: label.slice(LABEL_PREFIX.length), p });
      }
      return out;
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

/** The safety classifier over a fastText model; it reads text as `classifierText` prepares it. */
export class FastTextClassifier implements SafetyClassifier {
  constructor(readonly labeller: FastTextLabeller) {}

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
const loaded = new WeakMap<Uint8Array, Promise<FastTextLabeller>>();

/** Load a model that `npm run train` wrote (knowledge/safety/*.bin). */
export function loadFastText(bytes: Uint8Array): Promise<FastTextLabeller> {
  const known = loaded.get(bytes);
  if (known) return known;
  const loading = loadModel(bytes);
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
