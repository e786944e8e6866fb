// The --wait-for-ingress progress: one line rewritten in place (\r) on a terminal, plain lines
// otherwise (CI logs, pipes), so logs are not filled with carriage returns.
import { formatElapsed } from './duration.js';
import { escapeControls } from './terminal.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  /** A poll happened (no ingress yet). */
  poll(): void;
  /** A watch event for the Service came (no ingress yet). */
  event(): void;
  /** A message of its own line (the fallback from watching to polling); the live line is redrawn under it. */
  note(text: string): void;
  /** Redraws the live line (TTY only): called on a timer so the elapsed time moves. */
  tick(): void;
  /** Ends the progress display: clears the live line. */
  done(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function createProgress(stream: ProgressStream, reference: string, now: () => number = Date.now): Progress {
  const started = now();
  // The reference is the user's argument: shown escaped, so the only controls written are our own \r and erase-line.
  const what = escapeControls(reference, { singleLine: true });
  let polls = 0;
  let events = 0;
  let frame = 0;
  const counts = () =>
    [
      `${polls} poll${polls === 1 ? '' : 's'}`,
      ...(events > 0 ? [`${events} watch event${events === 1 ? '' : 's'}`] : []),
    ].join(', ');
  const line = () =>
    `waiting for the load-balancer ingress of ${what}: ${counts()}, ${formatElapsed(now() - started)} elapsed`;
  const draw = () => stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${line()}`);
  return {
    poll() {
      polls += 1;
      if (stream.isTTY) draw();
      else stream.write(`${line()}\n`);
    },
    event() {
      events += 1;
      if (stream.isTTY) draw();
      else stream.write(`${line()}\n`);
    },
    note(text) {
      // From the server in part (a Status message): escaped like everything else.
      const safe = escapeControls(text, { singleLine: true });
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${safe}\n`);
        draw();
      } else stream.write(`${safe}\n`);
    },
    tick() {
      if (stream.isTTY) draw();
    },
    done() {
      if (stream.isTTY) stream.write('\r\x1b[2K');
    },
  };
}
