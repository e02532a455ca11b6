import { describe, expect, it } from 'vitest';
import { EmailPayloadSchema } from '../../src/channels/email.js';
import { GoogleChatPayloadSchema } from '../../src/channels/googleChat.js';
import { SlackPayloadSchema } from '../../src/channels/slack.js';
import { SnsPayloadSchema } from '../../src/channels/sns.js';
import { TEAMS_MAX_BYTES } from '../../src/channels/teams.js';
import { ReportSchema, type Report } from '../../src/report/model.js';
import { renderReportEmail } from '../../src/report/render/email.js';
import { renderReportGoogleChat } from '../../src/report/render/googleChat.js';
import { REPORT_RENDERERS, renderReport } from '../../src/report/render/index.js';
import { renderReportSlack } from '../../src/report/render/slack.js';
import { renderReportSns } from '../../src/report/render/sns.js';
import { renderReportTeams } from '../../src/report/render/teams.js';
import { renderReportWebhook } from '../../src/report/render/webhook.js';
import { expectGolden } from '../helpers/golden.js';
import { busyReport, busySpecs, emptyReport, HOSTILE_TITLE } from './sample.js';

const busy = busyReport();
const empty = emptyReport();
const CASES: Array<[string, Report]> = [
  ['busy', busy],
  ['empty', empty],
];

describe('the sample week', () => {
  it('has the counts the specs give (checked by hand-countable loops)', () => {
    const specs = busySpecs();
    expect(busy.totals.findings).toBe(specs.length);
    expect(busy.bySeverity).toEqual({ LOW: 14, MEDIUM: 6, HIGH: 4, CRITICAL: 2 });
    expect(busy.totals.archived).toBe(specs.filter((s) => s.archived).length);
  });
});

describe.each(CASES)('%s report', (name, report) => {
  it('Slack: a valid Block Kit message within Slack limits, golden', () => {
    const payload = renderReportSlack(report);
    expect(SlackPayloadSchema.safeParse(payload).success).toBe(true);
    expectGolden(`report/slack-${name}.json`, payload);
  });

  it('Teams: a Workflows message with an Adaptive Card 1.4 within the byte budget, golden', () => {
    const payload = renderReportTeams(report);
    expect(payload.attachments[0].content.version).toBe('1.4');
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    expectGolden(`report/teams-${name}.json`, payload);
  });

  it('Google Chat: a valid cardsV2 message within Chat limits, golden', () => {
    const payload = renderReportGoogleChat(report);
    const parsed = GoogleChatPayloadSchema.safeParse(payload);
    expect(parsed.success, parsed.error?.message).toBe(true);
    expectGolden(`report/googleChat-${name}.json`, payload);
  });

  it('email: subject, text and HTML with table bar charts, no script or SVG, golden', () => {
    const payload = renderReportEmail(report, { subjectPrefix: 'SECURITY' });
    expect(EmailPayloadSchema.safeParse(payload).success).toBe(true);
    expect(payload.html).not.toMatch(/<script|<svg|<img|<style/i);
    // one bar per band, at least: a coloured cell of a pixel width
    expect((payload.html.match(/<td width="\d+" height="14" bgcolor="#/g) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(Buffer.byteLength(payload.html)).toBeLessThan(100_000);
    expectGolden(`report/email-${name}.html`, payload.html);
    expectGolden(`report/email-${name}.txt`, `Subject: ${payload.subject}\n\n${payload.text}`);
  });

  it('SNS: an ASCII subject under 100 characters, the report as JSON and text, at most 10 attributes with the numbers, golden', () => {
    const payload = renderReportSns(report);
    expect(SnsPayloadSchema.safeParse(payload).success).toBe(true);
    expect(payload.MessageAttributes.findings).toEqual({
      DataType: 'Number',
      StringValue: String(report.totals.findings),
    });
    expect(payload.MessageAttributes.critical).toEqual({
      DataType: 'Number',
      StringValue: String(report.bySeverity.CRITICAL),
    });
    const bodies = JSON.parse(payload.Message) as { default: string; email: string };
    expect(JSON.parse(bodies.default).report.totals).toEqual(report.totals);
    expect(bodies.email).toContain(String(report.totals.findings));
    expectGolden(`report/sns-${name}.json`, payload);
  });

  it('webhook: the report model as JSON, unchanged, signed when the channel has a secret, golden', () => {
    const payload = renderReportWebhook(report, {});
    const body = JSON.parse(payload.body) as { version: number; kind: string; report: unknown };
    expect(body.kind).toBe('report');
    expectGolden(`report/webhook-${name}.json`, body);
    const signed = renderReportWebhook(report, { hmacSecret: 'test-secret' });
    expect(signed.body).toBe(payload.body);
    expect(signed.headers['X-GuardDuty-Notify-Signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(ReportSchema.parse(body.report)).toEqual(report);
  });

  it('every channel states the total number of findings', () => {
    const total = `${report.totals.findings} finding`;
    for (const type of ['slack', 'teams', 'googleChat', 'email', 'sns'] as const) {
      expect(JSON.stringify(renderReport(type, report, {})), type).toContain(total);
    }
  });
});

describe('report rendering', () => {
  it('an empty week says "0 findings" and the heartbeat plainly in every channel', () => {
    for (const type of ['slack', 'teams', 'googleChat', 'email', 'sns'] as const) {
      const text = JSON.stringify(renderReport(type, empty, {}));
      expect(text, type).toContain('0 findings in the last 7 days');
      expect(text, type).toContain('last event processed at 2026-11-29T22:10:00Z; queue empty; DLQ empty');
    }
  });

  it('PagerDuty gets no report', () => {
    expect(REPORT_RENDERERS.pagerduty).toBeNull();
    expect(renderReport('pagerduty', busy)).toBeNull();
  });

  it('escapes attacker text for each channel', () => {
    expect(busy.oldestOpen.some((f) => f.title === HOSTILE_TITLE)).toBe(true);
    const slack = JSON.stringify(renderReportSlack(busy));
    expect(slack).not.toContain('<!channel>');
    expect(slack).not.toContain('<@U123>');
    expect(slack).not.toMatch(/<https:\/\/evil/);
    const email = renderReportEmail(busy, { subjectPrefix: 'S' }).html;
    expect(email).not.toContain('<script>');
    expect(email).not.toContain('<img');
    expect(email).not.toContain('<b>evil-name</b>');
    expect(email).toContain('&lt;script&gt;');
    const chat = JSON.stringify(renderReportGoogleChat(busy));
    expect(chat).not.toContain('<script>');
    expect(chat).not.toContain('<b>evil-name</b>');
    const teams = JSON.stringify(renderReportTeams(busy));
    expect(teams).not.toContain('[click](https://evil');
    expect(teams).not.toContain('<script>');
  });

  it('a partial report says so in every channel', () => {
    const partial = {
      ...busy,
      completeness: { complete: false, fetched: 26, total: 5000, note: 'first 26 of at least 5000 findings' },
    };
    for (const type of ['slack', 'teams', 'googleChat', 'email', 'sns'] as const)
      expect(JSON.stringify(renderReport(type, partial, {})), type).toContain('first 26 of at least 5000 findings');
    expect(renderReportSns(partial).Subject).toContain('[partial]');
  });
});
