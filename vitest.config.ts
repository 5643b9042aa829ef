import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: Tesseract and DynamoDB Local already use them; keep workers low.
    maxWorkers: 2,
    // The AWS SDK warns on Node < 22 about releases from 2027; the lockfile pins today's releases.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", LOG_LEVEL: "warn" },
  },
});
