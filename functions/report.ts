/**
 * Lambda entry of the monthly reports (EventBridge Scheduler target, see infra/constructs/reports.ts):
 * wiring only; the run lives in shared/reports/scheduled.ts.
 */
import { createReportHandler } from "../shared/reports/scheduled.ts";
import { blobs, ruleSet, store } from "./clients.ts";

export const handler = createReportHandler({ store, blobs, ruleSet });
