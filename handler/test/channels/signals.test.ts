import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNEL_REGISTRY, CHANNEL_TYPES, descriptorFor } from '../../src/channels/registry.js';
import { ChannelSchema } from '../../src/config/schema.js';
import { parseSignal } from '../../src/signals/parse.js';
import { viewsOf } from '../../src/signals/view.js';
import { FIXTURES_DIR } from '../helpers/fixtures.js';
import { expectGolden } from '../helpers/golden.js';

/*
 * GuardDuty's other signals on every channel: real-shaped CloudTrail API calls
 * (tamper alerts, archive sync), Malware Protection for S3 scan results and
 * coverage events, rendered through the same descriptors as findings, golden
 * per channel; hostile text in filter names, descriptions and user agents
 * stays text on every channel.
 */

const SIGNALS_DIR = join(FIXTURES_DIR, '..', 'signals');
const FIXTURES = [
  'activity/delete-detector',
  'activity/update-detector-features-disabled',
  'activity/create-filter-archive-hostile',
  'activity/create-ipset-activate',
  'activity/delete-detector-refused',
  'activity/delete-detector-by-pipeline',
  'activity/archive-findings',
  'scan/threats-found',
  'scan/threats-found-hostile-key',
  'coverage/runtime-unhealthy-eks',
  'coverage/runtime-healthy-eks',
  'coverage/plan-status-error',
];

const channelOf = (type: (typeof CHANNEL_TYPES)[number]) =>
  ChannelSchema.parse({ name: `sec-${type}`, type, ...CHANNEL_REGISTRY[type].sample });

function viewsFrom(name: string) {
  const text = readFileSync(join(SIGNALS_DIR, `${name}.json`), 'utf8');
  const parsed = parseSignal(JSON.parse(text), {
    expectedPrincipals: ['arn:aws:iam::111122223333:role/terraform-ci'],
  });
  if (!parsed.ok) throw new Error(`${name}: ${parsed.reason}`);
  return { text, views: viewsOf(parsed.signal) };
}

describe.each(CHANNEL_TYPES)('%s renders every kind of GuardDuty signal', (type) => {
  const channel = channelOf(type);
  const descriptor = descriptorFor(channel);
  it.each(FIXTURES)('%s matches its golden file', (name) => {
    const { text, views } = viewsFrom(name);
    expect(views.length).toBeGreaterThan(0);
    views.forEach((view, i) => {
      const payload = descriptor.render(view, channel, text);
      expectGolden(`signals/${type}/${name.replace('/', '-')}${views.length > 1 ? `-${i + 1}` : ''}.json`, payload);
    });
  });

  it('keeps hostile text in filter names, descriptions and user agents as text', () => {
    for (const name of ['activity/create-filter-archive-hostile', 'scan/threats-found-hostile-key']) {
      const { text, views } = viewsFrom(name);
      const payloads = views.map((view) => descriptor.render(view, channel, text));
      const wire = JSON.stringify(payloads);
      // No mention, link, raw HTML element or Markdown link can form from event text on any channel.
      if (type === 'slack') expect(wire).not.toMatch(/<!here>|<!channel>|<@U024BE7LH>|<https:\/\/evil/);
      if (type === 'email') for (const p of payloads as Array<{ html: string }>) expect(p.html).not.toMatch(/<script>/);
      if (type === 'googleChat') expect(wire).not.toMatch(/<script>/);
      if (type === 'teams') expect(wire).not.toContain('](https://evil.example');
      expect(wire).not.toMatch(/\r\nX-Injected|\r\nBcc:/);
    }
  });
});

describe('what each kind means for routing-relevant fields', () => {
  it('a tamper call is CRITICAL activity; the same call by an expected principal is a LOW note', () => {
    const [alert] = viewsFrom('activity/delete-detector').views;
    const [note] = viewsFrom('activity/delete-detector-by-pipeline').views;
    expect(alert).toMatchObject({ kind: 'activity', topic: 'activity.tamper', severity: { band: 'CRITICAL' } });
    expect(note).toMatchObject({ kind: 'activity', severity: { band: 'LOW' } });
  });

  it('an archive of two findings is two views, each resolving its own incident', () => {
    const { views } = viewsFrom('activity/archive-findings');
    expect(views.map((v) => [v.id, v.lifecycle?.action, v.resolves])).toEqual([
      ['6eb2b1f0c8b3e5d7a1f4c2e9d8b7a6f5', 'archived', true],
      ['a2c4e6f8b0d1c3e5f7a9b1d3c5e7f9a1', 'archived', true],
    ]);
  });

  it('a scan with threats is HIGH; coverage lost and restored share an id', () => {
    expect(viewsFrom('scan/threats-found').views[0]).toMatchObject({ kind: 'scan', severity: { band: 'HIGH' } });
    const [lost] = viewsFrom('coverage/runtime-unhealthy-eks').views;
    const [restored] = viewsFrom('coverage/runtime-healthy-eks').views;
    expect(lost?.id).toBe(restored?.id);
    expect([lost?.resolves, restored?.resolves]).toEqual([false, true]);
  });
});
