import { createRedactor, type Redactor } from './redact.js';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Registers secret values to mask in every later line. */
  addSecrets(values: readonly string[]): void;
}

/** How deep a chain of causes is logged (an error's cause, that cause's cause, …). */
const CAUSE_DEPTH = 3;

/**
 * An error as a log field: name, message, stack, our fields (kind, code,
 * channel) and its cause chain. Only these fields: an SDK or SMTP error's other
 * properties can hold request details. The whole line is redacted afterwards.
 */
function serialiseError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const fields = error as Error & { kind?: unknown; code?: unknown; channel?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(fields.kind !== undefined ? { kind: fields.kind } : {}),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(fields.channel !== undefined ? { channel: fields.channel } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error.cause !== undefined && depth < CAUSE_DEPTH ? { cause: serialiseError(error.cause, depth + 1) } : {}),
  };
}

/**
 * One JSON object per line (CloudWatch Logs Insights parses it), redacted as a
 * whole after serialisation so no field can carry a secret out.
 */
export function createLogger(
  level: LogLevel = 'INFO',
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  redactor: Redactor = createRedactor(),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const log = (at: LogLevel, message: string, fields: Record<string, unknown> = {}) => {
    if (LOG_LEVELS.indexOf(at) < threshold) return;
    const entry: Record<string, unknown> = {
      level: at,
      message,
      timestamp: new Date().toISOString(),
      service: 'guardduty-notify',
    };
    for (const [key, value] of Object.entries(fields)) entry[key] = key === 'error' ? serialiseError(value) : value;
    write(redactor.redact(JSON.stringify(entry)));
  };
  return {
    debug: (m, f) => log('DEBUG', m, f),
    info: (m, f) => log('INFO', m, f),
    warn: (m, f) => log('WARN', m, f),
    error: (m, f) => log('ERROR', m, f),
    addSecrets: (values) => redactor.add(values),
  };
}

export function parseLogLevel(value: string | undefined): LogLevel {
  const upper = (value ?? 'INFO').toUpperCase();
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : 'INFO';
}
