// PagerDuty Events API v2 (POST /v2/enqueue,
// https://developer.pagerduty.com/api-reference/368ae3d938c9e-send-an-event-to-pager-duty):
// 202 {status: "success", message: "Event processed", dedup_key}; 400
// {status: "invalid event", message, errors[]} for an event the API refuses
// (routing key, action, dedup key, payload fields, 512 KB size); 429 when
// events arrive too quickly (pagerDutyThrottled).
import { randomBytes } from 'node:crypto';
import { jsonObject, jsonReply } from './http.mjs';

export const PAGERDUTY_ENQUEUE_PATH = '/v2/enqueue';
/** The Events API's event size limit. */
export const PAGERDUTY_MAX_BYTES = 512 * 1024;
const SEVERITIES = ['critical', 'error', 'warning', 'info'];

/** @param {string[]} errors */
const invalid = (errors) => jsonReply(400, { status: 'invalid event', message: 'Event object is invalid', errors });

/**
 * @param {Record<string, unknown>} event
 * @param {string | undefined} routingKey
 */
function validationErrors(event, routingKey) {
  /** @type {string[]} */
  const errors = [];
  const { routing_key: key, event_action: action, dedup_key: dedup, payload } = event;
  if (typeof key !== 'string' || key.length !== 32) errors.push("'routing_key' must be a 32 character string");
  else if (routingKey !== undefined && key !== routingKey) errors.push('Invalid routing key');
  if (action !== 'trigger' && action !== 'acknowledge' && action !== 'resolve')
    errors.push("'event_action' is invalid");
  if (dedup !== undefined && (typeof dedup !== 'string' || dedup.length > 255)) errors.push("'dedup_key' is too long");
  if (action !== 'trigger' && typeof dedup !== 'string') errors.push(`'dedup_key' is required for ${String(action)}`);
  if (action === 'trigger') {
    const p = /** @type {Record<string, unknown>} */ (payload ?? {});
    if (typeof p.summary !== 'string' || p.summary.length === 0 || p.summary.length > 1024)
      errors.push("'payload.summary' must be 1-1024 characters");
    if (typeof p.source !== 'string' || p.source.length === 0) errors.push("'payload.source' is missing");
    if (!SEVERITIES.includes(/** @type {string} */ (p.severity))) errors.push("'payload.severity' is invalid");
  }
  return errors;
}

/** @param {import('./pagerduty.d.mts').PagerDutyOptions} [options] */
export function pagerDutyEventsApi(options = {}) {
  /** @type {import('./http.d.mts').ReplyFn} */
  return (request) => {
    if (request.path.split('?')[0] !== PAGERDUTY_ENQUEUE_PATH || request.method !== 'POST')
      return jsonReply(404, { status: 'not found' });
    if (request.raw.length > PAGERDUTY_MAX_BYTES) return invalid(['payload too large']);
    const event = jsonObject(request.body);
    if (!event) return invalid(['Invalid JSON']);
    const errors = validationErrors(event, options.routingKey);
    if (errors.length > 0) return invalid(errors);
    // Without a dedup_key PagerDuty generates one and returns it.
    const dedupKey = typeof event.dedup_key === 'string' ? event.dedup_key : randomBytes(16).toString('hex');
    return jsonReply(202, { status: 'success', message: 'Event processed', dedup_key: dedupKey });
  };
}

/** @param {number} [retryAfterSeconds] */
export function pagerDutyThrottled(retryAfterSeconds) {
  return jsonReply(
    429,
    { status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' },
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  );
}
