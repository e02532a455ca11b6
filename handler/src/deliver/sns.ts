import { DeliveryError } from './errors.js';
import type { SendContext } from '../channels/types.js';

type SnsModule = typeof import('@aws-sdk/client-sns');
let snsModule: Promise<SnsModule> | undefined;
const clients = new Map<string, import('@aws-sdk/client-sns').SNSClient>();

/** SNS errors that a config change (topic, policy, key) cures, versus transient ones. */
const CONFIG_ERRORS = new Set(['NotFoundException', 'NotFound', 'AuthorizationErrorException', 'AccessDeniedException', 'KMSAccessDeniedException', 'KMSDisabledException', 'KMSNotFoundException', 'InvalidSecurityException']);
const PERMANENT_ERRORS = new Set(['InvalidParameterException', 'InvalidParameterValueException', 'ValidationException', 'MissingParameter', 'MissingParameterException']);

/** Publishes with a client for the topic's own region (topics may live anywhere). */
export const snsPublish: SendContext['snsPublish'] = async ({ topicArn, subject, message, attributes, messageGroupId, deduplicationId }) => {
  snsModule ??= import('@aws-sdk/client-sns');
  const mod = await snsModule;
  const region = topicArn.split(':')[3] ?? process.env.AWS_REGION;
  let client = clients.get(region ?? '');
  if (!client) {
    client = new mod.SNSClient(region ? { region } : {});
    clients.set(region ?? '', client);
  }
  try {
    const result = await client.send(
      new mod.PublishCommand({
        TopicArn: topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
        ...(messageGroupId ? { MessageGroupId: messageGroupId } : {}),
        ...(deduplicationId ? { MessageDeduplicationId: deduplicationId } : {}),
      }),
    );
    return result.MessageId ?? '';
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const kind = CONFIG_ERRORS.has(name) ? 'config' : PERMANENT_ERRORS.has(name) ? 'permanent' : 'retryable';
    throw new DeliveryError(`sns: ${name}: ${error instanceof Error ? error.message.slice(0, 200) : ''}`, kind);
  }
};
