// What every reporter is given besides the result.
import type { RunResult } from '../types.js';

export interface ReportOptions {
  /** ANSI colour (terminal only); the CLI turns it off for NO_COLOR, --no-color or no TTY */
  color: boolean;
  /** masks secrets; applied to the result's text before formatting */
  redact?: (text: string) => string;
}

export type Reporter = (result: RunResult, options: ReportOptions) => string;
