/**
 * What is removed from a question before its text is kept (communities that opted in, unanswered
 * questions only): addresses (email and street), phone numbers, links, mentions and long numbers.
 * Each becomes a bracketed word, so a curator still sees the question's shape.
 */
const RULES: [RegExp, string][] = [
  // platform mentions and channel links: <@U123>, <#C123|general>, <!here>, <@&123>, @someone
  [/<[@#!][^>\s]*>/g, "[mention]"],
  [/(^|\s)@[\w.-]+/g, "$1[mention]"],
  [/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, "[email]"],
  // a link, without the punctuation that ends the sentence around it
  [/\b(?:https?:\/\/|www\.)\S+?(?=[.,;:!?)]*(?:\s|$))/gi, "[link]"],
  [/\b[\w-]+(\.[\w-]+)*\.(com|org|net|uk|us|au|nz|ie|ca|eu|io|gov|edu|info|me|co|app|ly)(\/\S*)?\b/gi, "[link]"],
  // a number, then a street word: "12 Baker Street", "4b Elm Rd"
  [
    /\b\d+[a-z]?\s+(?:[a-z]+\s+){0,3}(street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|way|court|ct|place|pl|boulevard|blvd|terrace|crescent|square|sq)\b\.?/gi,
    "[address]",
  ],
  // phone numbers: 7 or more digits broken by spaces, dots, dashes or brackets, or with a leading +
  [/(?:\+\d|\d(?=[\d\s().-]*[\s().-]))[\d\s().-]{5,}\d/g, "[phone]"],
  // any remaining long number (an account, a card, a case number)
  [/\d{5,}/g, "[number]"],
];

export function scrub(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out.replace(/\s+/g, " ").trim().slice(0, 500);
}
