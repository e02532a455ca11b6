import { BatchGetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseRecord } from '../../src/batch/envelope.js';
import { KIND_READERS } from '../../src/signals/kinds.js';
import { deliveryKey } from '../../src/batch/memory.js';
import { viewsOf } from '../../src/signals/view.js';
import { deliverySk, findingPk } from '../../src/state/keys.js';
import { type Pair, pairOf } from './killAccounting.js';

/*
 * Which (finding, channel) pairs the state table holds a receipt for, read the
 * way the function looks them up before a send: the key comes from the
 * function's own code (parse the SQS body, its views, their delivery key), and
 * the items are fetched with BatchGetItem, 100 keys a request, strongly
 * consistent. A 100-finding batch on seven channels costs 7 requests, where one
 * Query per finding cost 100 (and 2.5 s a kill behind the emulator's lock).
 */

/** One pair and where its receipt lives. */
export interface ReceiptKey {
  pair: Pair;
  pk: string;
  sk: string;
}

/** The receipt key of every (finding, channel) pair an SQS message body asks for. */
export function receiptKeysOf(body: string, channels: readonly string[]): ReceiptKey[] {
  const parsed = parseRecord('kill-accounting', body, { readers: KIND_READERS });
  if (!parsed.ok) throw new Error(`not an event the function delivers: ${parsed.reason}`);
  const { item } = parsed;
  return viewsOf(item.signal).flatMap((finding) =>
    channels.map((channel) => {
      const key = deliveryKey({ item, finding }, channel);
      return {
        pair: pairOf(finding.id, channel),
        pk: findingPk(key.findingId),
        sk: deliverySk(key.occurrence, channel),
      };
    }),
  );
}

const KEYS_PER_REQUEST = 100;

/** The pairs among `keys` whose receipt is in `table`. */
export async function receiptsIn(
  dynamo: DynamoDBClient,
  table: string,
  keys: readonly ReceiptKey[],
): Promise<Set<Pair>> {
  const pairByKey = new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k.pair]));
  const found = new Set<Pair>();
  const requests: Array<Promise<void>> = [];
  for (let i = 0; i < keys.length; i += KEYS_PER_REQUEST) {
    let pending = keys.slice(i, i + KEYS_PER_REQUEST).map((k) => ({ pk: { S: k.pk }, sk: { S: k.sk } }));
    requests.push(
      (async () => {
        while (pending.length > 0) {
          const page = await dynamo.send(
            new BatchGetItemCommand({
              RequestItems: { [table]: { Keys: pending, ConsistentRead: true, ProjectionExpression: 'pk, sk' } },
            }),
          );
          for (const item of page.Responses?.[table] ?? []) {
            const pair = pairByKey.get(`${item.pk?.S}|${item.sk?.S}`);
            if (pair) found.add(pair);
          }
          pending = (page.UnprocessedKeys?.[table]?.Keys ?? []) as typeof pending;
        }
      })(),
    );
  }
  await Promise.all(requests);
  return found;
}
