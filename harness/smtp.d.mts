import type { ParsedMail } from 'mailparser';

/** How one message is answered after its DATA: accepted (250), refused with a reply code, or the connection dropped. */
export type MailAnswer = 'accept' | { code: number; message: string } | 'drop';

export interface ReceivedMail {
  at: number;
  /** The message as sent (headers and body). */
  raw: string;
  /** The message parsed by mailparser (unless `parse: false`). */
  parsed: ParsedMail | undefined;
  envelope: { from: string; to: string[] };
  /** The session ran over TLS (STARTTLS). */
  secure: boolean;
  /** The authenticated user, if any. */
  user: string | undefined;
  /** "250", "451", "drop", … */
  answer: string;
  accepted: boolean;
}

export interface SmtpOptions {
  /** STARTTLS with smtp-server's built-in test certificate ('builtin', the default), with this key/cert, or not offered (false). */
  tls?: 'builtin' | { key: string | Buffer; cert: string | Buffer } | false;
  /** The one account AUTH accepts (535 otherwise); `required` refuses mail before AUTH. AUTH only after STARTTLS. */
  auth?: { user: string; pass: string; required?: boolean };
  /** Decides the reply to the n-th message (0-based); 'accept' by default. */
  answer?: (n: number, mail: ReceivedMail) => MailAnswer;
  /** Refuses a recipient with this reply (RCPT TO), or accepts it (undefined). */
  rcpt?: (address: string) => { code: number; message: string } | undefined;
  /** Parse each message with mailparser (default true; the bench turns it off). */
  parse?: boolean;
  banner?: string;
  /** Called with each accepted message as it arrives. */
  onMail?: (mail: ReceivedMail) => void;
}

export interface SmtpServer {
  port: number;
  /** Every message that reached the end of DATA, answered or not. */
  mails: ReceivedMail[];
  reset(): void;
  /** Resolves once no client is connected and what the last one sent is recorded (see `idle` in http.d.mts). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1.
 *
 * @example const smtp = await startSmtpServer({ auth: { user: 'gd', pass: 'pw' } }); // then smtp.port, smtp.mails
 */
export declare function startSmtpServer(options?: SmtpOptions): Promise<SmtpServer>;
