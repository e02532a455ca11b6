import { describe, expect, it } from 'vitest';
import { CHANNEL_REGISTRY, CHANNEL_TYPES, descriptorFor } from '../../src/channels/registry.js';
import { ChannelSchema, type Channel } from '../../src/config/schema.js';
import type { NormalisedFinding } from '../../src/finding/model.js';
import { strings } from '../chaos/corpus.js';
import { normalisedFixture } from '../helpers/fixtures.js';

/*
 * Issue 15, items 2-4, on every channel: every facet the finding carries, who
 * is who (actor and target), a next step, and what could not be read. The
 * payload's text is searched as a reader sees it (entities and Markdown
 * escapes undone), so each check fails when a channel leaves the fact out.
 */

const channelOf = (type: (typeof CHANNEL_TYPES)[number]): Channel =>
  ChannelSchema.parse({ name: `facets-${type}`, type, ...CHANNEL_REGISTRY[type].sample });

const render = (type: (typeof CHANNEL_TYPES)[number], finding: NormalisedFinding) => {
  const channel = channelOf(type);
  return descriptorFor(channel).render(finding, channel);
};

/** All text of a payload, with the escaping channels add undone. */
function textOf(type: string, payload: unknown): string {
  const source = type === 'webhook' ? JSON.parse((payload as { body: string }).body) : payload;
  const raw = strings(source)
    .map((s) => s.value)
    .join('\n');
  const entities = raw
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return `${entities}\n${entities.replace(/\\([\\`*_{}[\]()#+\-.!<>|~&/])/g, '$1')}`;
}

/** The keys of a PagerDuty event's custom_details, where facets are keyed by their title. */
const detailKeys = (payload: unknown) =>
  Object.keys((payload as { payload: { custom_details: Record<string, unknown> } }).payload.custom_details);

const RENDERED = CHANNEL_TYPES.filter((t) => t !== 'webhook');

describe.each(RENDERED)('%s shows the facets, who is who, a next step and what could not be read', (type) => {
  it('shows each facet of a container runtime finding under its title, with the host instance id', () => {
    const finding = normalisedFixture('container-runtime');
    expect(finding.facets.map((f) => f.key)).toContain('hostInstance');
    const payload = render(type, finding);
    const text = textOf(type, payload);
    for (const facet of finding.facets) {
      if (type === 'pagerduty') expect(detailKeys(payload)).toContain(facet.title);
      else expect(text.toLowerCase()).toContain(facet.title.toLowerCase());
      // The first field of every facet is shown (a channel may leave later ones to the console).
      expect(text).toContain(facet.fields[0]!.value);
    }
    const host = finding.facets.find((f) => f.key === 'hostInstance')!;
    expect(text).toContain(host.fields.find((f) => f.label === 'Instance')!.value);
  });

  it('shows the malware scan of a malware finding: infected file paths and threat names', () => {
    const finding = normalisedFixture('ebs-malware');
    const scan = finding.facets.find((f) => f.key === 'malwareScan')!;
    const text = textOf(type, render(type, finding));
    for (const label of ['Threats', 'Infected files'])
      for (const value of scan.fields.find((f) => f.label === label)!.value.split(', ')) expect(text).toContain(value);
  });

  it('labels the target and the actor', () => {
    const finding = normalisedFixture('s3-public-access');
    const payload = render(type, finding);
    const text = textOf(type, payload);
    // PagerDuty labels them by custom_details key; the others by a visible label.
    if (type === 'pagerduty') expect(detailKeys(payload)).toEqual(expect.arrayContaining(['target', 'actor_summary']));
    else expect(text).toMatch(/Target[\s\S]*Actor|Actor[\s\S]*Target/);
    expect(text).toContain(finding.target.id!);
    expect(text).toContain(finding.actor.ip!);
  });

  it('links each next step, and says what could not be read and why there is no console link', () => {
    const finding: NormalisedFinding = {
      ...normalisedFixture('ec2-ssh-bruteforce'),
      readNotes: ['could not read: service.action (null)'],
      consoleUrl: null,
      consoleUrlUnavailable: 'No GuardDuty console link: the finding id cannot form one.',
    };
    const payload = render(type, finding);
    const text = textOf(type, payload);
    expect(finding.nextSteps.length).toBeGreaterThan(0);
    for (const step of finding.nextSteps) expect(text).toContain(step.url);
    expect(text).toContain('Could not read: service.action (null)');
    expect(text).toContain('No GuardDuty console link: the finding id cannot form one.');
  });

  it('keeps the headline facts and stays within limits when every facet is huge', () => {
    const base = normalisedFixture('container-runtime');
    const huge = 'x'.repeat(5_000);
    const finding: NormalisedFinding = {
      ...base,
      facets: base.facets.map((facet) => ({
        ...facet,
        fields: Array.from({ length: 40 }, (_, i) => ({ label: `Field ${i}`, value: `${i}${huge}` })),
      })),
    };
    const payload = render(type, finding);
    const text = textOf(type, payload);
    for (const fact of [base.type.full, base.account.id, base.region]) expect(text).toContain(fact);
    // The channel's own limits (schemas and byte budgets) hold: the hostile and corpus suites assert
    // them in full; here the payload must still be far below the largest of them (PagerDuty's 512 KB).
    expect(Buffer.byteLength(JSON.stringify(payload), 'utf8')).toBeLessThan(512 * 1024);
    expect(text).not.toContain(`0${huge}`);
  });
});

describe('the webhook', () => {
  it('carries the facets, target, next steps and read notes as JSON', () => {
    const finding = { ...normalisedFixture('container-runtime'), readNotes: ['could not read: x (null)'] };
    const body = JSON.parse((render('webhook', finding) as { body: string }).body);
    expect(body.finding).toMatchObject({
      facets: finding.facets,
      target: finding.target,
      nextSteps: finding.nextSteps,
      readNotes: finding.readNotes,
    });
  });
});
