/**
 * What one meeting costs to read in AWS: Textract pages and Bedrock tokens × a price table.
 *
 * The figures are published on-demand prices (USD), check before relying: AWS changes them and
 * they differ by region and volume tier.
 * - Textract AnalyzeDocument, first tier: Signatures $3.50 and Layout $4.00 per 1,000 pages; the
 *   engine asks for both on every page (textract.ts FEATURES), so a page costs $0.0075.
 * - Anthropic Claude Sonnet 4 on Bedrock, on demand: $0.003 per 1,000 input tokens and $0.015 per
 *   1,000 output tokens. Page images are input tokens (Claude bills an image by its pixels, roughly
 *   width × height / 750, about 1,600 tokens for a page once the model scales it to its limit).
 */
export interface Prices {
  textractSignaturesPer1000Pages: number;
  textractLayoutPer1000Pages: number;
  bedrockInputPer1000Tokens: number;
  bedrockOutputPer1000Tokens: number;
}

/** Published prices, check before relying. */
export const PRICES: Readonly<Prices> = Object.freeze({
  textractSignaturesPer1000Pages: 3.5,
  textractLayoutPer1000Pages: 4.0,
  bedrockInputPer1000Tokens: 0.003,
  bedrockOutputPer1000Tokens: 0.015,
});

export interface MeetingUsage {
  /** pages sent to Textract AnalyzeDocument (SIGNATURES + LAYOUT each) */
  pages: number;
  inputTokens: number;
  outputTokens: number;
}

/** USD for one meeting, rounded to a millionth of a dollar (float noise is not a price). */
export function meetingCost(usage: MeetingUsage, prices: Readonly<Prices> = PRICES): number {
  const textract = (usage.pages * (prices.textractSignaturesPer1000Pages + prices.textractLayoutPer1000Pages)) / 1000;
  const bedrock =
    (usage.inputTokens * prices.bedrockInputPer1000Tokens + usage.outputTokens * prices.bedrockOutputPer1000Tokens) / 1000;
  return Math.round((textract + bedrock) * 1e6) / 1e6;
}
