/** Lambda event shapes as AWS delivers them, for invoking handlers in tests. */
import type { SQSRecord } from "aws-lambda";
import { randomUUID } from "node:crypto";

/** An S3 event notification as S3 puts it on SQS (structure of the documented v2.1 event). */
export function s3Message(key: string, size: number, messageId: string = randomUUID(), receiveCount = 1): SQSRecord {
  const body = {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: "ap-southeast-1",
        eventTime: "2026-11-03T07:15:00.000Z",
        eventName: "ObjectCreated:Put",
        userIdentity: { principalId: "AWS:AROAEXAMPLE:session" },
        requestParameters: { sourceIPAddress: "203.0.113.10" },
        responseElements: { "x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "uploads",
          bucket: { name: "bienban-pages", ownerIdentity: { principalId: "A3NL1KOZZKExample" }, arn: "arn:aws:s3:::bienban-pages" },
          object: { key: encodeURIComponent(key).replace(/%2F/g, "/"), size, eTag: "d41d8cd98f00b204e9800998ecf8427e", sequencer: "0055AED6DCD90281E5" },
        },
      },
    ],
  };
  return {
    messageId,
    receiptHandle: "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...",
    body: JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: "1762154100000",
      SenderId: "AIDAIENQZJOLO23YVJ4VO",
      ApproximateFirstReceiveTimestamp: "1762154100001",
    },
    messageAttributes: {},
    md5OfBody: "e4e68fb7bd0e697a0ae8f1bb342846b3",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:ap-southeast-1:123456789012:bienban-ingest",
    awsRegion: "ap-southeast-1",
  };
}

