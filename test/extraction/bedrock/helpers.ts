/**
 * Test wiring for the cloud reader: the real Textract and Bedrock SDK clients with their transport
 * mocked (aws-sdk-client-mock), fed with responses in the services' exact JSON shapes from
 * test/fixtures/bedrock/, and small real page images made with sharp.
 */
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import { AnalyzeDocumentCommand, TextractClient } from "@aws-sdk/client-textract";
import { mockClient } from "aws-sdk-client-mock";
import sharp from "sharp";
import * as z from "zod";
import { TextractEngine } from "../../../shared/extraction/textract.ts";

const JsonObject = z.record(z.string(), z.unknown());

export function fixture(name: string): Record<string, unknown> {
  return JsonObject.parse(JSON.parse(readFileSync(new URL(`../../fixtures/bedrock/${name}`, import.meta.url), "utf8")));
}

/** A Converse fixture with its tool input changed by `edit` (a deep copy; the file is untouched). */
export function converseWith(name: string, edit: (input: Record<string, unknown>) => void): Record<string, unknown> {
  const response = structuredClone(fixture(name));
  // walked by hand, not parsed: zod returns copies, and the edit must land in `response`
  const output = response.output;
  const message = isRecord(output) ? output.message : undefined;
  const content = isRecord(message) ? message.content : undefined;
  const first: unknown = Array.isArray(content) ? content[0] : undefined;
  const toolUse = isRecord(first) ? first.toolUse : undefined;
  const input = isRecord(toolUse) ? toolUse.input : undefined;
  if (!isRecord(input)) throw new Error("fixture has no tool input");
  edit(input);
  return response;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export const bedrockMock = mockClient(BedrockRuntimeClient);
export const textractMock = mockClient(TextractClient);
/** maxAttempts 1: the adapters own the retry policy (see reader.ts and textract.ts) */
export const bedrock = new BedrockRuntimeClient({ region: "ap-southeast-1", maxAttempts: 1 });
const textractClient = new TextractClient({ region: "ap-southeast-1", maxAttempts: 1 });
export const textract = new TextractEngine({ client: textractClient, sleep: async () => {}, random: () => 0.5 });

const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

/**
 * Two pages of one meeting: a JPEG and a PNG, distinct pixels. Textract answers each with the
 * fixture registered for its bytes.
 */
export async function meetingPages(textractFixtures: readonly string[]): Promise<Buffer[]> {
  const pages: Buffer[] = [];
  const byHash = new Map<string, Record<string, unknown>>();
  for (const [i, name] of textractFixtures.entries()) {
    const base = sharp({ create: { width: 620 + i, height: 877, channels: 3, background: { r: 250, g: 248, b: 240 } } });
    const bytes = i % 2 === 0 ? await base.jpeg({ quality: 80 }).toBuffer() : await base.png().toBuffer();
    pages.push(bytes);
    byHash.set(sha(bytes), fixture(name));
  }
  textractMock.on(AnalyzeDocumentCommand).callsFake((input: { Document?: { Bytes?: Uint8Array } }) => {
    const bytes = input.Document?.Bytes;
    const response = bytes === undefined ? undefined : byHash.get(sha(bytes));
    if (response === undefined) throw new Error("no Textract fixture for these bytes");
    return response;
  });
  return pages;
}
