/**
 * The customer-managed KMS keys. Two keys, split by what they protect:
 * - `data`: the minutes themselves (DynamoDB table, S3 pages bucket). Personal data; only our
 *   functions (through DynamoDB and S3) ever use it.
 * - `messages`: queues and topics (S3 upload events, Textract completions, alarms, the
 *   scheduler's dead letters). They carry ids and keys only, but AWS services (S3, CloudWatch,
 *   Textract's role, EventBridge Scheduler) must encrypt with it, so it gets service principals
 *   in its key policy; keeping those principals off the data key keeps the data key narrow.
 * Both rotate yearly (AwsSolutions-KMS5) and are retained: deleting a key makes everything it
 * encrypted unreadable, and the minutes are kept for the long term.
 */
import { RemovalPolicy } from "aws-cdk-lib";
import * as kms from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";

export class Keys extends Construct {
  readonly data: kms.Key;
  readonly messages: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.data = new kms.Key(this, "Data", {
      description: "bienban: minutes at rest (DynamoDB table, S3 pages bucket)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.messages = new kms.Key(this, "Messages", {
      description: "bienban: queues and topics (upload events, Textract completions, alarms)",
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
