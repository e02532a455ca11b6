import { DeliveryError, type FailureKind } from './errors.js';
import type { SendContext } from '../channels/types.js';

type SnsModule = typeof import('@aws-sdk/client-sns');
let snsModule: Promise<SnsModule> | undefined;
const clients = new Map<string, import('@aws-sdk/client-sns').SNSClient>();

/** SNS errors that a config change (topic, policy, key) cures, versus transient ones. Batch entries report codes without "Exception". */
const CONFIG_ERRORS = new Set([
  'NotFound',
  'AuthorizationError',
  'AccessDenied',
  'KMSAccessDenied',
  'KMSDisabled',
  'KMSNotFound',
  'KMSInvalidState',
  'InvalidSecurity',
]);
const PERMANENT_ERRORS = new Set([
  'InvalidParameter',
  'InvalidParameterValue',
  'Validation',
  'MissingParameter',
  'BatchRequestTooLong',
  'TooManyEntriesInBatchRequest',
  'BatchEntryIdsNotDistinct',
  'InvalidBatchEntryId',
]);

function kindOf(code: string, senderFault?: boolean): FailureKind {
  const bare = code.replace(/Exception$/, '');
  if (CONFIG_ERRORS.has(bare)) return 'config';
  if (PERMANENT_ERRORS.has(bare)) return 'permanent';
  // A batch entry the sender got wrong that we do not know by name cannot succeed on a retry either.
  return senderFault === true ? 'permanent' : 'retryable';
}

/** A client for the topic's own region (topics may live anywhere). */
async function clientFor(
  topicArn: string,
): Promise<{ mod: SnsModule; client: import('@aws-sdk/client-sns').SNSClient }> {
  snsModule ??= import('@aws-sdk/client-sns');
  const mod = await snsModule;
  const region = topicArn.split(':')[3] ?? process.env.AWS_REGION;
  let client = clients.get(region ?? '');
  if (!client) {
    client = new mod.SNSClient(region ? { region } : {});
    clients.set(region ?? '', client);
  }
  return { mod, client };
}

function callError(error: unknown): DeliveryError {
  const name = error instanceof Error ? error.name : 'Error';
  return new DeliveryError(`${name}: ${error instanceof Error ? error.message.slice(0, 200) : ''}`, kindOf(name), {
    code: name,
    cause: error,
  });
}

/** Publishes one message: the request as rendered, unchanged. */
export const snsPublish: SendContext['snsPublish'] = async (request) => {
  const { mod, client } = await clientFor(request.TopicArn);
  try {
    const result = await client.send(new mod.PublishCommand(request));
    return result.MessageId ?? '';
  } catch (error) {
    throw callError(error);
  }
};

/**
 * Publishes up to 10 messages in one PublishBatch call (the caller keeps their
 * total within 256 KB). Resolves with one outcome per message, in order: its
 * message id, or the DeliveryError for the entry SNS refused. A call that fails
 * as a whole rejects, and then none of them was published.
 */
export const snsPublishBatch: SendContext['snsPublishBatch'] = async ({ topicArn, messages }) => {
  const { mod, client } = await clientFor(topicArn);
  let result: import('@aws-sdk/client-sns').PublishBatchCommandOutput;
  try {
    result = await client.send(
      new mod.PublishBatchCommand({
        TopicArn: topicArn,
        PublishBatchRequestEntries: messages.map((m, i) => ({ Id: String(i), ...m })),
      }),
    );
  } catch (error) {
    throw callError(error);
  }
  const ok = new Map((result.Successful ?? []).map((s) => [s.Id, s.MessageId ?? '']));
  const failed = new Map((result.Failed ?? []).map((f) => [f.Id, f]));
  return messages.map((_, i) => {
    const id = String(i);
    const messageId = ok.get(id);
    if (messageId !== undefined) return messageId;
    const f = failed.get(id);
    const code = f?.Code ?? 'NoResult';
    return new DeliveryError(
      `${code}: ${(f?.Message ?? 'no result for this entry').slice(0, 200)}`,
      f ? kindOf(code, f.SenderFault) : 'retryable',
      { code },
    );
  });
};
