/**
 * A full-rank linear softmax model over hashed features: word unigrams, bigrams and trigrams, word
 * pairs one word apart ("pay 14" in "pay a 14"), and character n-grams: the features fastText reads
 * and a few more, with one weight per feature and class instead of a 16-dimensional embedding. It
 * errs on other messages than the fastText views, so it is averaged with them (`share`). Trained here
 * in plain TypeScript (a few seconds), deterministic for a seed.
 *
 * Measured on the dev batches (5 batches, 2,713 rows, written by authors who saw only the taxonomy),
 * trained on the same rows as the shipped fastText views:
 *   fastText views alone   right 96.0%, log loss 0.118
 *   this model alone       right 96.6%, log loss 0.104
 *   half and half          right 96.5%, log loss 0.097
 * With dev batch d6 and the weak-subtype rows added, trigrams and pairs one word apart took this model
 * alone from log loss 0.104 to 0.093, and 2^19 buckets to 0.089 (2^20: 0.088, at twice the size).
 * With the urgent-boundary rows and two fastText views (dev batches d1-d6): the views alone 96.0% and
 * 0.140, this model alone (8 epochs) 97.4% and 0.081, a quarter and three quarters 97.6% and 0.080.
 */
import type { Labelled, Labeller } from "./fasttext.js";

export interface LinearParams {
  /** log2 of the number of hash buckets; default 19 (524,288). Range 14-22: 16 lost 0.003 of log loss, 18 0.002, 20 gained 0.001 */
  bits: number;
  /** passes over the training lines; default 8. Range 3-20: log loss 0.0842 at 4, 0.0803 at 8, 0.0798 at 12 (three-quarter share) */
  epochs: number;
  /** AdaGrad's base learning rate; default 0.5. Range 0.1-2: 0.2 and 1 were both worse */
  lr: number;
  /** L2 penalty on each weight updated; default 1e-6. Range 0-1e-4: 1e-5 scored the same */
  l2: number;
  /** shortest and longest character n-gram of a word (with < and > around it); default 3 and 5 (2-6 was worse) */
  minn: number;
  maxn: number;
  /** 1: word trigrams too; default 1 (log loss 0.093 with pairs, against 0.095 with pairs alone) */
  trigrams: number;
  /** 1: pairs of words one word apart too; default 1 (0.095 against 0.097 with neither) */
  pairs: number;
  /**
   * a class whose gradient on a line is below this is not updated for that line (its L2 term alone is
   * negligible); default 0. For the fact classifier's 150 labels, 1e-4 trains in 4.8 s against 11 s,
   * with the same dev open-set figures within one question
   */
  minGradient: number;
  /**
   * the linear model's share of an ensemble's probabilities (`EnsembleLabeller`), the fastText views
   * sharing the rest equally. Range 0-1
   */
  share: number;
  /** the shuffle's seed: the same lines and seed give the same model, byte for byte */
  seed: number;
}

/**
 * The safety classifier's linear model. `share` 0.75: on the dev batches d1-d6, log loss 0.140 with
 * the fastText views alone, 0.085 at 0.5, 0.080 at 0.75, 0.081 with the linear model alone.
 */
export const LINEAR_PARAMS: LinearParams = {
  bits: 19,
  epochs: 8,
  lr: 0.5,
  l2: 1e-6,
  minn: 3,
  maxn: 5,
  trigrams: 1,
  pairs: 1,
  minGradient: 0,
  share: 0.75,
  seed: 1,
};

/** The first bytes of a linear model's file, so a packed file can hold it beside fastText files. */
export const LINEAR_MAGIC = Buffer.from("csec-factbot linear 2\n");

/** What the features depend on. */
export type FeatureParams = Pick<LinearParams, "minn" | "maxn" | "trigrams" | "pairs">;

/** Words the rules add (`ruleFeatures`): whole tokens, never split into character n-grams. */
const RULE_WORD = "xrule";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function mix(h: number, s: string): number {
  let out = h;
  for (let i = 0; i < s.length; i++) out = Math.imul(out ^ s.charCodeAt(i), FNV_PRIME);
  return out;
}

const WORD = mix(FNV_OFFSET, "w:");
const BIGRAM = mix(FNV_OFFSET, "b:");
const TRIGRAM = mix(FNV_OFFSET, "t:");
const PAIR = mix(FNV_OFFSET, "s:");
const CHARS = mix(FNV_OFFSET, "c:");

/** The hashed features of a prepared text (`classifierText`), in buckets of `mask + 1`. */
export function linearFeatures(prepared: string, mask: number, p: FeatureParams): number[] {
  const { minn, maxn } = p;
  const words = prepared.split(" ").filter((w) => w.length > 0);
  const out: number[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    out.push((mix(WORD, word) >>> 0) & mask);
    const next = words[i + 1];
    if (next !== undefined) out.push((mix(mix(mix(BIGRAM, word), " "), next) >>> 0) & mask);
    const third = words[i + 2];
    if (third !== undefined && next !== undefined) {
      if (p.trigrams) out.push((mix(mix(mix(mix(mix(TRIGRAM, word), " "), next), " "), third) >>> 0) & mask);
      if (p.pairs) out.push((mix(mix(mix(PAIR, word), " "), third) >>> 0) & mask);
    }
    if (word.startsWith(RULE_WORD)) continue;
    const s = `<${word}>`;
    for (let j = 0; j + minn <= s.length; j++) {
      let h = CHARS;
      for (let n = 0; n < maxn && j + n < s.length; n++) {
        h = Math.imul(h ^ s.charCodeAt(j + n), FNV_PRIME);
        if (n + 1 >= minn) out.push((h >>> 0) & mask);
      }
    }
  }
  return out;
}

/** A trained linear model: labels and their probabilities for a text already prepared. */
export class LinearLabeller implements Labeller {
  private readonly mask: number;

  /**
   * `weights` as trained (32-bit floats, `scale` 1), or as loaded: the file's 8-bit integers, each
   * times `scale`. Kept as 8-bit in memory, a feature's row of 150 fact labels is 150 bytes instead of
   * 600, which is most of what guess() spends: it reads about 300 rows scattered over 5 MB.
   */
  constructor(
    readonly labelNames: string[],
    readonly params: LinearParams,
    private readonly weights: Float32Array | Int8Array,
    private readonly bias: Float32Array,
    private readonly scale = 1,
  ) {
    this.mask = (1 << params.bits) - 1;
    this.sums = new Int32Array(labelNames.length);
  }

  /** scratch for the integer sums (prediction is synchronous, so one per model is enough) */
  private readonly sums: Int32Array;

  /** Every label's probability, most likely first, handed to `visit`. */
  /**
   * Every label's probability at or above `floor`, in the labels' own order (an ensemble only sums
   * them; sorting 150 labels per question cost more than the sums).
   */
  each(prepared: string, _k: number, visit: (label: string, p: number) => void, floor = 0): void {
    const p = this.probabilities(linearFeatures(prepared, this.mask, this.params));
    for (let i = 0; i < p.length; i++)
      if ((p[i] as number) >= floor) visit(this.labelNames[i] as string, p[i] as number);
  }

  /** One label's probability (0 for a label the model does not have). */
  probabilityOf(prepared: string, label: string): number {
    const at = this.labelNames.indexOf(label);
    return at < 0 ? 0 : (this.probabilities(linearFeatures(prepared, this.mask, this.params))[at] as number);
  }

  /** The `k` most likely labels (all with -1), most likely first. */
  labels(prepared: string, k = -1): Labelled[] {
    const out: Labelled[] = [];
    this.each(prepared, k, (label, p) => out.push({ label, p }));
    out.sort((a, b) => b.p - a.p);
    return k < 0 ? out : out.slice(0, k);
  }

  /** Softmax of the bias plus each feature's weights, the features scaled to unit length. */
  probabilities(features: number[]): Float64Array {
    const classes = this.labelNames.length;
    const out = new Float64Array(classes);
    const weights = this.weights;
    const unit = 1 / Math.sqrt(features.length || 1);
    if (weights instanceof Int8Array) {
      // integer weights summed exactly in integers first, scaled once
      const sums = this.sums;
      sums.fill(0);
      for (const f of features) {
        const at = f * classes;
        for (let c = 0; c < classes; c++) sums[c] = (sums[c] as number) + (weights[at + c] as number);
      }
      const scale = this.scale * unit;
      for (let c = 0; c < classes; c++) out[c] = (this.bias[c] as number) + (sums[c] as number) * scale;
    } else {
      // as trained: the same arithmetic, in the same order, as every model shipped so far
      for (let c = 0; c < classes; c++) out[c] = this.bias[c] as number;
      for (const f of features) {
        const at = f * classes;
        for (let c = 0; c < classes; c++) out[c] = (out[c] as number) + (weights[at + c] as number) * unit;
      }
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) max = Math.max(max, out[c] as number);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      out[c] = Math.exp((out[c] as number) - max);
      sum += out[c] as number;
    }
    for (let c = 0; c < classes; c++) out[c] = (out[c] as number) / sum;
    return out;
  }

  /**
   * The file: LINEAR_MAGIC, a JSON line (labels, parameters, the weights' scale), the weights as
   * 8-bit integers (a quarter of the size of 32-bit floats; dev log loss 0.0893 against 0.0892), then
   * the biases as 32-bit floats, little-endian.
   */
  async bytes(): Promise<Uint8Array> {
    if (this.weights instanceof Int8Array) return this.file(this.weights, this.scale);
    let max = 0;
    for (const w of this.weights) max = Math.max(max, Math.abs(w));
    const scale = max > 0 ? max / 127 : 1;
    const quantised = new Int8Array(this.weights.length);
    for (let i = 0; i < this.weights.length; i++) quantised[i] = Math.round((this.weights[i] as number) / scale);
    return this.file(quantised, scale);
  }

  private file(quantised: Int8Array, scale: number): Uint8Array {
    const head = Buffer.from(`${JSON.stringify({ labels: this.labelNames, params: this.params, scale })}\n`);
    const weights = Buffer.from(quantised.buffer, quantised.byteOffset, quantised.byteLength);
    const bias = Buffer.alloc(this.bias.length * 4);
    for (let i = 0; i < this.bias.length; i++) bias.writeFloatLE(this.bias[i] as number, i * 4);
    return new Uint8Array(Buffer.concat([LINEAR_MAGIC, head, weights, bias]));
  }
}

export function isLinearModel(bytes: Uint8Array): boolean {
  return (
    bytes.length >= LINEAR_MAGIC.length &&
    Buffer.from(bytes.buffer, bytes.byteOffset, LINEAR_MAGIC.length).equals(LINEAR_MAGIC)
  );
}

/** Read back what `LinearLabeller.bytes` wrote. */
export function loadLinear(bytes: Uint8Array): LinearLabeller {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = buf.indexOf(10, LINEAR_MAGIC.length);
  if (!isLinearModel(bytes) || end < 0) throw new Error("not a linear model file");
  const head = JSON.parse(buf.subarray(LINEAR_MAGIC.length, end).toString("utf8")) as {
    labels: string[];
    params: LinearParams;
    scale: number;
  };
  const size = (1 << head.params.bits) * head.labels.length;
  const at = end + 1;
  if (buf.length !== at + size + head.labels.length * 4) throw new Error("a linear model file is cut short");
  const weights = new Int8Array(size);
  weights.set(new Int8Array(buf.buffer, buf.byteOffset + at, size));
  const bias = new Float32Array(head.labels.length);
  for (let i = 0; i < bias.length; i++) bias[i] = buf.readFloatLE(at + size + i * 4);
  return new LinearLabeller(head.labels, head.params, weights, bias, head.scale);
}

/** The bias's learning rate: plain SGD, small, since every line updates it. */
const BIAS_LR = 0.05;

/**
 * Train on fastText-style lines (`__label__<class> <prepared text>`): softmax cross-entropy, AdaGrad per
 * weight, the lines shuffled each epoch with a seeded generator.
 */
export function trainLinear(lines: string[], params: LinearParams = LINEAR_PARAMS): LinearLabeller {
  const labelNames: string[] = [];
  const mask = (1 << params.bits) - 1;
  const rows = lines.map((line) => {
    const space = line.indexOf(" ");
    const label = line.slice("__label__".length, space);
    if (!labelNames.includes(label)) labelNames.push(label);
    return { y: labelNames.indexOf(label), x: linearFeatures(line.slice(space + 1), mask, params) };
  });
  const classes = labelNames.length;
  const weights = new Float32Array((mask + 1) * classes);
  const squared = new Float32Array(weights.length).fill(1e-6);
  const bias = new Float32Array(classes);
  const model = new LinearLabeller(labelNames, params, weights, bias);
  let state = params.seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const order = rows.map((_, i) => i);
  for (let epoch = 0; epoch < params.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const i of order) {
      const { x, y } = rows[i] as { x: number[]; y: number };
      const p = model.probabilities(x);
      const scale = 1 / Math.sqrt(x.length || 1);
      for (let c = 0; c < classes; c++) {
        const g = (p[c] as number) - (c === y ? 1 : 0);
        if (Math.abs(g) < params.minGradient) continue;
        bias[c] = (bias[c] as number) - BIAS_LR * g;
        for (const f of x) {
          const at = f * classes + c;
          const gw = g * scale + params.l2 * (weights[at] as number);
          squared[at] = (squared[at] as number) + gw * gw;
          weights[at] = (weights[at] as number) - (params.lr / Math.sqrt(squared[at] as number)) * gw;
        }
      }
    }
  }
  return model;
}
