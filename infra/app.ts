/**
 * The CDK app: `npx cdk synth` (cdk.json runs this file with tsx).
 * Account is left to the deploying credentials (env-agnostic account); the region is fixed from
 * context so ARNs and the Bedrock region are concrete. Nothing here performs a lookup.
 */
import { App, Tags, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "./nag.ts";
import { settingsFromContext } from "./settings.ts";
import { BienbanStack } from "./stack.ts";

const app = new App();
const settings = settingsFromContext((key) => app.node.tryGetContext(key));

const stack = new BienbanStack(app, "Bienban", {
  settings,
  env: { region: settings.region },
  description: "bienban: Party-cell meeting minutes from photos to checked records",
});
Tags.of(stack).add("project", "bienban");

// cdk-nag 3 is a policy-validation plugin: synthesis fails on any finding that is neither fixed
// nor acknowledged with a reason (test/infra/nag.test.ts asserts the same, with details).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
