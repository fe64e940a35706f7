/** A mistake in the command line: printed as one line with a hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

export const ExitCode = { OK: 0, FINDINGS: 1, USAGE: 2, RUNTIME: 3 } as const;
