/**
 * Builds the bienban stack the way `npx cdk synth` does (same cdk.json context and feature flags),
 * ONCE per test file. Bundling is skipped (CDK's own `aws:cdk:bundling-stacks` context): these
 * tests assert the template, and bundling depends on every function's code compiling — which
 * `npx cdk synth` checks, with the same cdk-nag gate.
 */
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as z from "zod";
import { PROJECT_ROOT } from "../../infra/constructs/bienban-function.ts";
import { settingsFromContext } from "../../infra/settings.ts";
import { BienbanStack } from "../../infra/stack.ts";

const CdkJson = z.object({ app: z.string(), context: z.record(z.string(), z.unknown()) });

export function cdkContext(): Record<string, unknown> {
  return CdkJson.parse(JSON.parse(readFileSync(join(PROJECT_ROOT, "cdk.json"), "utf8"))).context;
}

export function buildStack(extraContext: Record<string, unknown> = {}): { app: App; stack: BienbanStack; template: Template } {
  const app = new App({ context: { ...cdkContext(), "aws:cdk:bundling-stacks": [], ...extraContext } });
  const settings = settingsFromContext((key) => app.node.tryGetContext(key));
  const stack = new BienbanStack(app, "Bienban", { settings, env: { region: settings.region } });
  const template = Template.fromStack(stack);
  return { app, stack, template };
}
