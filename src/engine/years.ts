/**
 * The years a text names (1950-2049). One definition for the engine's "is this another year than the
 * fact's figures?" check and for training the fact classifier, which leaves that question to the check.
 */
export function yearsIn(text: string): Set<string> {
  return new Set(text.match(/\b(19[5-9]\d|20[0-4]\d)\b/g) ?? []);
}
