import type { Delivered, DeliveredType } from '../../handler/src/preview/types.js';
import type { DemoAws } from './aws.js';
import type { Receiver } from '../../harness/http.mjs';
import type { DemoSmtp } from './smtp.js';

/*
 * Collects what every receiver got since the last call, as gallery-ready
 * deliveries, each with a searchable text to attribute it to a finding.
 */

export interface Capture {
  channelName: string;
  type: DeliveredType;
  delivered: Delivered;
  /** The payload exactly as captured (parsed JSON body, SNS envelope, parsed mail summary). */
  raw: unknown;
  /** HTTP status the receiver answered (200 for SMTP/SNS, which have no HTTP leg here). */
  status: number;
  /** Everything in the delivery, for finding-id lookup. */
  searchable: string;
}

export interface HttpSink {
  channelName: string;
  type: Exclude<DeliveredType, 'email' | 'sns'>;
  receiver: Receiver;
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export function createCollector(
  http: readonly HttpSink[],
  smtp: { channelName: string; server: DemoSmtp },
  sns: { channelName: string; aws: DemoAws },
) {
  const seen = new Map<string, number>();
  let mailsSeen = 0;
  return async function collect(): Promise<Capture[]> {
    const out: Capture[] = [];
    for (const sink of http) {
      const from = seen.get(sink.channelName) ?? 0;
      const fresh = sink.receiver.requests.slice(from);
      seen.set(sink.channelName, from + fresh.length);
      for (const request of fresh) {
        const body = parse(request.body);
        const headers = Object.fromEntries(
          Object.entries(request.headers)
            .filter(
              ([name]) =>
                ![
                  'host',
                  'connection',
                  'content-length',
                  'accept',
                  'accept-encoding',
                  'accept-language',
                  'sec-fetch-mode',
                  'user-agent',
                ].includes(name),
            )
            .map(([name, value]) => [name, String(value)]),
        );
        const delivered: Delivered =
          sink.type === 'webhook' ? { type: 'webhook', body, headers } : { type: sink.type, body };
        out.push({
          channelName: sink.channelName,
          type: sink.type,
          delivered,
          raw: body,
          status: request.status ?? 0,
          searchable: request.body,
        });
      }
    }
    for (const captured of smtp.server.mails.slice(mailsSeen)) {
      out.push({
        channelName: smtp.channelName,
        type: 'email',
        delivered: { type: 'email', mail: captured.mail },
        raw: captured.raw,
        status: 250,
        searchable: JSON.stringify(captured.mail),
      });
    }
    mailsSeen = smtp.server.mails.length;
    for (const { sns: message, raw } of await sns.aws.takeSnsDeliveries()) {
      out.push({
        channelName: sns.channelName,
        type: 'sns',
        delivered: { type: 'sns', sns: message },
        raw,
        status: 200,
        searchable: JSON.stringify(raw),
      });
    }
    return out;
  };
}
