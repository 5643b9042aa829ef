/**
 * The blob store port and its adapters: the local file system (npm start) and S3 (AWS).
 * Keys are built by our own code (content hashes), never from user-supplied file names.
 */
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { dirname, resolve, sep } from "node:path";
import { InvalidInputError } from "../errors.ts";

export interface Blob {
  bytes: Buffer;
  contentType: string;
}

export interface BlobStore {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  get(key: string): Promise<Blob | null>;
  /** size in bytes, or null when there is no such object */
  size(key: string): Promise<number | null>;
}

const KEY = /^[a-z0-9][a-z0-9/._-]{0,500}$/;

function checkKey(key: string): void {
  if (!KEY.test(key) || key.includes("..") || key.includes("//")) {
    throw new InvalidInputError("BAD_KEY", "Khóa lưu trữ không hợp lệ.", "Invalid storage key.");
  }
}

export class FsBlobStore implements BlobStore {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    checkKey(key);
    const p = resolve(this.root, key);
    if (!p.startsWith(this.root + sep)) throw new InvalidInputError("BAD_KEY", "Khóa lưu trữ không hợp lệ.", "Invalid storage key.");
    return p;
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    const p = this.path(key);
    await mkdir(dirname(p), { recursive: true });
    // write then rename: a crash never leaves a half-written page under its final name
    // unique per write: two writers of the same key (the same upload racing itself) must not share one
    const tmp = `${p}.${randomUUID()}.tmp`;
    await writeFile(tmp, bytes);
    await writeFile(`${tmp}.type`, contentType);
    await rename(`${tmp}.type`, `${p}.type`);
    await rename(tmp, p);
  }

  async size(key: string): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size;
    } catch (err) {
      if (err instanceof Error && "code" in err && err.code === "ENOENT") return null;
      throw err;
    }
  }

  async get(key: string): Promise<Blob | null> {
    const p = this.path(key);
    try {
      const [bytes, contentType] = await Promise.all([readFile(p), readFile(`${p}.type`, "utf8").catch(() => "application/octet-stream")]);
      return { bytes, contentType };
    } catch (err) {
      if (err instanceof Error && "code" in err && err.code === "ENOENT") return null;
      throw err;
    }
  }
}

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    checkKey(key);
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }));
  }

  async size(key: string): Promise<number | null> {
    checkKey(key);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.ContentLength ?? 0;
    } catch (err) {
      if (err instanceof NotFound || err instanceof NoSuchKey) return null;
      throw err;
    }
  }

  async get(key: string): Promise<Blob | null> {
    checkKey(key);
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!res.Body) return null;
      return { bytes: Buffer.from(await res.Body.transformToByteArray()), contentType: res.ContentType ?? "application/octet-stream" };
    } catch (err) {
      if (err instanceof NoSuchKey) return null;
      throw err;
    }
  }
}
