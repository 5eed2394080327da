// The CLI's view of the outside world, passed down so commands never touch process.* directly.
export interface Console {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  stderrIsTTY: boolean;
  /** the second Ctrl-C: leave now */
  exitNow(code: number): never;
}

export function processConsole(): Console {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    env: process.env,
    stderrIsTTY: Boolean(process.stderr.isTTY),
    exitNow: (code) => process.exit(code),
  };
}

/** Colour only for a terminal, and never under NO_COLOR or --no-color; FORCE_COLOR wins over no TTY. */
export function useColor(flagColor: boolean, env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (!flagColor) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return isTTY;
}
