/**
 * fastText supervised models through fasttext.wasm.js: loading a trained model from bytes (for the
 * engine) and training one from labelled lines (for `npm run train`). WebAssembly start-up is
 * asynchronous, so this is the one async step before the engine is built; prediction is synchronous.
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

type FastTextClass = Awaited<ReturnType<typeof getFastTextClass>>;
let fastTextClass: Promise<FastTextClass> | undefined;

/** The WebAssembly module, instantiated once per process. */
function fastText(): Promise<FastTextClass> {
  const loading = fastTextClass ?? getFastTextClass({ getFastTextModule });
  fastTextClass = loading;
  return loading;
}

let nextFile = 0;

/** A classifier over a fastText model; `predict` reads the text as `classifierText` prepares it. */
export class FastTextClassifier implements SafetyClassifier {
  constructor(private readonly model: FastTextModel) {}

  predict(text: string, rule: RuleVerdict | null = null): Probabilities {
    const out = zeroProbabilities();
    const vector = this.model.predict(classifierText(text, rule), -1, 0);
    try {
      for (let i = 0; i < vector.size(); i++) {
        const [p, label] = vector.get(i) as [number, string];
        const name = SafetyClassSchema.safeParse(label.slice(LABEL_PREFIX.length));
        if (name.success) out[name.data] = p;
      }
    } finally {
      // embind vectors live on the WebAssembly heap until deleted
      (vector as unknown as { delete?: () => void }).delete?.();
    }
    return out;
  }

  /** The model file as fastText writes it (`saveModel` goes through the in-memory file system). */
  async bytes(): Promise<Uint8Array> {
    return new Uint8Array(await this.model.saveModel().arrayBuffer());
  }
}

/** Models already loaded, by their bytes: engines built over the same knowledge share one. */
const loaded = new WeakMap<Uint8Array, Promise<FastTextClassifier>>();

/** Load a model that `npm run train` wrote (knowledge/safety/model.bin). */
export function loadFastTextClassifier(bytes: Uint8Array): Promise<FastTextClassifier> {
  const known = loaded.get(bytes);
  if (known) return known;
  const loading = loadModel(bytes);
  loaded.set(bytes, loading);
  return loading;
}

async function loadModel(bytes: Uint8Array): Promise<FastTextClassifier> {
  const FastText = await fastText();
  const ft = new FastText();
  const path = `/safety-model-${nextFile++}.bin`;
  ft.fs.writeFile(path, bytes);
  ft.ft.loadModel(path);
  ft.fs.unlink(path);
  return new FastTextClassifier(new FastTextModel(ft.ft, ft.core));
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
): Promise<FastTextClassifier> {
  const FastText = await fastText();
  const ft = new FastText();
  const data = `data:text/plain;base64,${Buffer.from(`${lines.join("\n")}\n`).toString("base64")}`;
  // the callback must be a function: fastText calls it from its training loop
  const model = (await ft.trainSupervised(data, params, () => {})) as FastTextModel;
  return new FastTextClassifier(model);
}
