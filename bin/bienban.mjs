#!/usr/bin/env node
// bienban command line: runs the TypeScript sources through tsx (a dependency), so `npx bienban`
// works right after `npm ci` with no build step.
import { register } from "tsx/esm/api";

// The AWS SDK warns on Node < 22 about its releases from 2027; package-lock.json pins today's.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
register();
const { main } = await import("../shared/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
