/** Presigned S3 PUTs that pin the content type and the exact size (both are signed headers). */
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { UploadSigner } from "../meetings/uploads.ts";

export class S3UploadSigner implements UploadSigner {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  signPut(key: string, contentType: string, bytes: number, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ContentLength: bytes }), {
      expiresIn: expiresInSeconds,
      // keep them as signed headers (not query parameters) so S3 refuses any other type or size
      signableHeaders: new Set(["content-type", "content-length"]),
    });
  }
}
