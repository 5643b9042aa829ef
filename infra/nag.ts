/**
 * cdk-nag 3 is a CDK policy-validation plugin (not an Aspect): the app registers it with
 * `Validations.of(app).addPlugins(new AwsSolutionsChecks(app))`, synthesis FAILS on any
 * unacknowledged finding, and findings are acknowledged with CDK's own
 * `Validations.of(construct).acknowledge({ id, reason })`. Rules that report several findings
 * (IAM5) need one acknowledgement per finding, with its exact id: `AwsSolutions-IAM5[Resource::…]`
 * — there is no pattern matching, so every acknowledged wildcard is spelled out.
 *
 * cdk-nag is CommonJS whose exports Node's ESM loader cannot detect statically, so it is imported
 * whole, once, here.
 */
import { Validations, type Acknowledgment } from "aws-cdk-lib";
import cdkNag from "cdk-nag";
import type { IConstruct } from "constructs";

export const { AwsSolutionsChecks } = cdkNag;
export type { Acknowledgment };

/** Acknowledge findings on a construct (and its children), each with its reason. */
export function acknowledge(scope: IConstruct, ...rules: Acknowledgment[]): void {
  if (rules.length) Validations.of(scope).acknowledge(...rules);
}

/** The id of one IAM5 finding, e.g. iam5("Resource", "*") → "AwsSolutions-IAM5[Resource::*]". */
export function iam5(kind: "Resource" | "Action", value: string): string {
  return `AwsSolutions-IAM5[${kind}::${value}]`;
}
