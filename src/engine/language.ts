/**
 * Which language a message is in, with fastText's language identifier (lid.176, shipped inside
 * fasttext.wasm.js). The bot answers in English only; a message in another language gets one line in
 * that language saying so, then where to get help (compose.ts). Loading is asynchronous (WebAssembly);
 * `identify` is synchronous.
 */
import { getLIDModel } from "fasttext.wasm.js";

export interface Identified {
  /** the language's ISO 639-1 code where it has one ("es"), else fastText's label */
  code: string;
  probability: number;
}

export interface LanguageIdentifier {
  identify(text: string): Identified;
}

/** fastText's identifier reads one line of text; newlines would end its input early. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

let identifier: Promise<LanguageIdentifier> | undefined;

/** The identifier, loaded once per process (about 1 MB, shared by every engine). */
export function loadLanguageIdentifier(): Promise<LanguageIdentifier> {
  const loading = identifier ?? loadIdentifier();
  identifier = loading;
  return loading;
}

async function loadIdentifier(): Promise<LanguageIdentifier> {
  const model = await (await getLIDModel()).load();
  return {
    identify(text: string): Identified {
      const vector = model.predict(oneLine(text), 1, 0);
      try {
        if (vector.size() === 0) return { code: "und", probability: 0 };
        const [probability, label] = vector.get(0) as [number, string];
        return { code: label.replace("__label__", ""), probability };
      } finally {
        (vector as unknown as { delete?: () => void }).delete?.();
      }
    },
  };
}
