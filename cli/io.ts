/** The CLI's output channels and its interruption signal (what every command module writes to). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Given only when stderr is a terminal: raw writes for the progress bar. */
  tty?: { write(text: string): void; columns?: number };
  /** Aborted on Ctrl-C (SIGINT): a run stops, closes its traces and the CLI exits 130. */
  signal?: AbortSignal;
}
