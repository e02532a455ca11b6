// Bench entry (bundled by scripts/bench.mjs with esbuild): the handler's pure
// pipeline, parse → normalise → route → render (+ serialise), with no I/O.
import { parseRecord } from '../../../handler/src/batch/envelope.js';
import { KIND_READERS } from '../../../handler/src/signals/kinds.js';
import { descriptorFor } from '../../../handler/src/channels/registry.js';
import { parseConfig } from '../../../handler/src/config/parse.js';
import { viewsOf } from '../../../handler/src/signals/view.js';
import { createSeverityMemory } from '../../../handler/src/route/history.js';
import { decide, effectiveRules } from '../../../handler/src/route/rules.js';

/** Serialises a rendered payload the way its channel's `send` does (bytes on the wire). */
function wireBytes(payload: unknown): number {
  if (
    typeof payload === 'object' &&
    payload !== null &&
    'body' in payload &&
    typeof (payload as { body: unknown }).body === 'string'
  ) {
    return (payload as { body: string }).body.length; // webhook: the body is already the exact string sent
  }
  return JSON.stringify(payload).length;
}

/**
 * Returns a function that takes one SQS message body through the pipeline for
 * every configured channel and returns how many payloads it rendered.
 */
export function createPipeline(
  configText: string,
): (messageId: string, body: string) => { renders: number; bytes: number } {
  const config = parseConfig(configText);
  const history = createSeverityMemory();
  const channels = config.channels.map((channel) => ({
    channel,
    rules: effectiveRules(config.defaults, channel),
    render: descriptorFor(channel).render,
    allowArchived: descriptorFor(channel).receivesArchived(channel),
  }));
  return (messageId, body) => {
    const parsed = parseRecord(messageId, body, { readers: KIND_READERS });
    if (!parsed.ok) return { renders: 0, bytes: 0 };
    const [view] = viewsOf(parsed.item.signal);
    if (!view) return { renders: 0, bytes: 0 };
    const finding = { ...view, account: { ...view.account, name: config.accountNames[view.account.id] ?? null } };
    let renders = 0;
    let bytes = 0;
    for (const c of channels) {
      if (!decide(finding, c.rules, history, c.allowArchived).notify) continue;
      bytes += wireBytes(c.render(finding, c.channel));
      renders += 1;
    }
    history.remember(finding.id, finding.severity.score);
    return { renders, bytes };
  };
}
