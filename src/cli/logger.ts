import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** pino, one JSON line per event; pretty (synchronously) when stdout is a terminal. */
export function newLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  if (process.stdout.isTTY) return pino({ level }, pretty({ sync: true, colorize: true, ignore: 'pid,hostname' }));
  return pino({ level, base: undefined });
}
