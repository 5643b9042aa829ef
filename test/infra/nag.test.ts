/**
 * cdk-nag (AwsSolutions) over the whole stack: zero findings that are neither fixed nor
 * acknowledged with a reason. cdk-nag 3 is a CDK validation plugin; `validateScope` runs the same
 * rules `cdk synth` runs and returns the violations instead of failing synthesis.
 */
import { Validations } from "aws-cdk-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsSolutionsChecks } from "../../infra/nag.ts";
import { buildStack } from "./synth.ts";

type Report = ReturnType<InstanceType<typeof AwsSolutionsChecks>["validateScope"]>;
let report: Report;
let acknowledgements: { path: string; id: string; reason: string }[];

beforeAll(() => {
  const { stack } = buildStack();
  report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
  acknowledgements = stack.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.entries(z(m.data)).map(([id, reason]) => ({ path: c.node.path, id, reason: String(reason) }))),
    );
});

/** metadata data is `unknown`-ish; accept only a record of strings/objects */
function z(data: unknown): Record<string, unknown> {
  return typeof data === "object" && data !== null ? Object.fromEntries(Object.entries(data)) : {};
}

const describeViolations = (severity: string): string[] =>
  report.violations
    .filter((v) => v.severity === severity)
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));

describe("cdk-nag AwsSolutions", () => {
  it("has no unacknowledged errors", () => {
    expect(describeViolations("error")).toEqual([]);
  });

  it("has no unacknowledged warnings", () => {
    expect(describeViolations("warning")).toEqual([]);
  });

  it("acknowledges findings narrowly, each with a specific reason", () => {
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const a of acknowledgements) {
      // a reason is a sentence, not a placeholder
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(40);
      // never a bare IAM5 (would hide every wildcard of the resource), always one finding
      expect(a.id, a.path).not.toMatch(/^AwsSolutions-IAM5$/);
    }
    // nothing is acknowledged for the whole stack
    expect(acknowledgements.filter((a) => a.path === "Bienban")).toEqual([]);
  });
});
