#!/usr/bin/env node
// bienban command line: runs the TypeScript sources through tsx (a dependency), so `npx bienban`
// works right after `npm ci` with no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../shared/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
