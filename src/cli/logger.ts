import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** pino, one JSON line per event to `stream` (stdout by default); pretty (synchronously) when it is a terminal. */
export function newLogger(level = process.env.LOG_LEVEL ?? 'info', stream: NodeJS.WriteStream = process.stdout): Logger {
  const fd = stream === process.stderr ? 2 : 1;
  if (stream.isTTY) return pino({ level }, pretty({ sync: true, colorize: true, ignore: 'pid,hostname', destination: fd }));
  return fd === 1 ? pino({ level, base: undefined }) : pino({ level, base: undefined }, pino.destination({ fd, sync: true }));
}
