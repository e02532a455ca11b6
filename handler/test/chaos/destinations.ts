import { startReceiver, type Received, type Reply, type ReplyFn } from '../../../harness/http.mjs';
import { googleChatWebhook } from '../../../harness/googleChat.mjs';
import { pagerDutyEventsApi } from '../../../harness/pagerduty.mjs';
import { rateWindow, slackRateLimited, slackWebhook } from '../../../harness/slack.mjs';
import { startSmtpServer, type MailAnswer } from '../../../harness/smtp.mjs';
import { teamsWorkflow } from '../../../harness/teams.mjs';
import { signedWebhook } from '../../../harness/webhook.mjs';

/*
 * Destinations for the fault suite: the harness's stand-ins of each service
 * (harness/), answering each attempt from a policy, and recording whether the
 * sender actually *saw* a success. A reply written after the client gave up
 * (timeout) does not count as an accepted delivery: the sender cannot know
 * about it, so a re-send is the at-least-once contract, not a duplicate. Those
 * late replies are counted separately so the report shows them.
 */

export type { MailAnswer };

/** How one attempt is answered: a fault, or `ok()` — what the real service answers. */
export type Answer = Reply | { service: true };

/** One attempt at a destination (the receiver's record: body, answer, accepted, late). */
export interface Attempt {
  at: number;
  body: string;
  /** "200", "429", "reset", "hang", "451", "drop", … */
  answer: string;
  /** The sender received a success for this attempt. */
  accepted: boolean;
  /** A success was written after the sender had gone (timed out). */
  late: boolean;
}

export interface Destination {
  /** Config `type` of the channel this destination stands for. */
  readonly type: string;
  readonly attempts: Attempt[];
  /** Resolves once no sender is connected and everything a closed connection sent is recorded. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface HttpDestination extends Destination {
  url: string;
  /** Decides the answer for the n-th attempt (0-based) at this destination. */
  policy: (n: number, body: string) => Answer;
}

const SERVICE: Answer = { service: true };

/** What the real service answers (its stand-in in harness/ validates the payload). */
export const ok = (): Answer => SERVICE;

/** The first `count` attempts get `failure`, the rest what the service answers. */
export function firstFail(count: number, failure: Answer): (n: number) => Answer {
  return (n) => (n < count ? failure : SERVICE);
}

/** Slack's documented webhook limit, one message per second per webhook (harness/slack.mjs). */
export function rateLimited(): (n: number) => Answer {
  const window = rateWindow();
  return () => {
    if (!window.allows()) return slackRateLimited();
    window.accepted();
    return SERVICE;
  };
}

/** Each channel type's stand-in, and a realistic path on it. */
const SERVICES: Record<string, { path: string; reply: () => ReplyFn }> = {
  slack: { path: '/services/T0CHAOS/B0CHAOS/chaos', reply: () => slackWebhook() },
  teams: { path: '/workflows/chaos/triggers/manual/paths/invoke', reply: teamsWorkflow },
  googleChat: { path: '/v1/spaces/CHAOS/messages?key=k&token=t', reply: () => googleChatWebhook() },
  pagerduty: { path: '/v2/enqueue', reply: () => pagerDutyEventsApi() },
  webhook: { path: '/hooks/chaos', reply: () => signedWebhook() },
};

/** A real HTTP server on 127.0.0.1 standing for one channel's endpoint. */
export async function startHttpDestination(
  type: string,
  policy: (n: number, body: string) => Answer = ok,
): Promise<HttpDestination> {
  const service = SERVICES[type];
  if (!service) throw new Error(`no stand-in for channel type ${type}`);
  const real = service.reply();
  const receiver = await startReceiver((request: Received, n: number) => {
    const answer = destination.policy(n, request.body);
    return 'service' in answer ? real(request, n) : answer;
  });
  const destination: HttpDestination = {
    type,
    url: receiver.url(service.path),
    attempts: receiver.requests,
    policy,
    idle: receiver.idle,
    close: receiver.close,
  };
  return destination;
}

export interface SmtpDestination extends Destination {
  port: number;
  policy: (n: number) => MailAnswer;
}

/**
 * The harness's SMTP server (STARTTLS with smtp-server's built-in test
 * certificate) answering each message after reading all of its DATA.
 * `attempt.body` is the raw message (headers and body).
 */
export async function startSmtpDestination(
  policy: (n: number) => MailAnswer = () => 'accept',
): Promise<SmtpDestination> {
  const smtp = await startSmtpServer({ parse: false, answer: (n) => destination.policy(n) });
  const destination: SmtpDestination = {
    type: 'email',
    port: smtp.port,
    get attempts() {
      return smtp.mails.map((m) => ({ at: m.at, body: m.raw, answer: m.answer, accepted: m.accepted, late: false }));
    },
    policy,
    idle: smtp.idle,
    close: smtp.close,
  };
  return destination;
}
