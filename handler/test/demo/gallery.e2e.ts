import { NEXT_STEP_URLS } from '../../src/finding/nextSteps.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { BAND_COLOUR } from '../../src/finding/severity.js';

/*
 * The demo gallery in a real browser: Debian's chromium (`make browser-deps`),
 * driven by playwright-core. The test runs the demo first (`node
 * scripts/demo.mjs`, exactly what `make demo` runs, through the committed
 * bundle), then opens demo/out/index.html and checks that every captured
 * notification rendered, that finding text stayed text, and that the filters
 * work. Screenshots go to demo/out/screenshots/.
 *
 * Environment: CHROMIUM (default /usr/bin/chromium); GDN_DEMO_BUNDLE to replay
 * another build of the function (passed to the demo as --bundle).
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const OUT = join(ROOT, 'demo', 'out');
const SHOTS = join(OUT, 'screenshots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** Every script the gallery may contain: its own files, nothing from a finding. */
const GALLERY_SCRIPTS = ['markdown-it.min.js', 'adaptivecards.min.js', 'preview.js'];
const CONSOLE_LINK =
  /^https:\/\/([a-z0-9-]+\.)*(console\.aws\.amazon\.com|console\.amazonaws-us-gov\.com|console\.amazonaws\.cn)\//;

// The callbacks passed to page.evaluate run in the browser; these are the few DOM names they use
// (the project compiles against ES2023 without the DOM library).
interface DomElement {
  tagName: string;
  attributes: Iterable<{ name: string }>;
  textContent: string | null;
  innerText: string;
  getAttribute(name: string): string | null;
  closest(selector: string): DomElement | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement>;
}
declare const document: {
  scripts: Iterable<DomElement>;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & { length: number };
  createElement(tag: 'canvas'): Canvas;
};
declare const window: { __pwned?: unknown; scrollTo(x: number, y: number): void };
declare function getComputedStyle(element: unknown): { backgroundColor: string };
// For counting a screenshot's colours with the browser's own PNG decoder (on a blank page of its own).
declare const Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(image: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
  };
}

interface Entry {
  id: string;
  type: string;
  severity: string;
  deliveries: Array<{ channelName: string; delivered: { type: string }; raw?: unknown }>;
}

let entries: Entry[] = [];
let context: BrowserContext;
let page: Page;
let lab: Page;
let userDataDir: string;
const problems: string[] = [];

function runDemo(): Promise<string> {
  const extra = process.env.GDN_DEMO_BUNDLE ? ['--bundle', process.env.GDN_DEMO_BUNDLE] : [];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts', 'demo.mjs'), ...extra],
      { cwd: ROOT, timeout: 90_000, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`make demo's script failed (${error.message}):\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * What a person sees of each delivery's rendering (closed <details> left out),
 * keyed "entry/channel"; an email's HTML part is read from inside its frame.
 */
async function visibleTexts(): Promise<Map<string, string>> {
  const texts = new Map(
    await page.evaluate(() =>
      [...document.querySelectorAll('article[data-entry] .delivery')].map((el): [string, string] => [
        `${el.closest('article')?.getAttribute('data-entry')}/${el.getAttribute('data-channel-name')}`,
        el.querySelector('.view')?.textContent ?? '',
      ]),
    ),
  );
  for (const frame of page.frames().slice(1)) {
    const owner = await frame.frameElement();
    const key = await owner.evaluate(
      (el: DomElement) =>
        `${el.closest('article')?.getAttribute('data-entry')}/${el.closest('.delivery')?.getAttribute('data-channel-name')}`,
    );
    texts.set(
      key,
      `${texts.get(key) ?? ''}\n${await frame.evaluate(() => document.querySelector('body')?.textContent ?? '')}`,
    );
  }
  return texts;
}

/**
 * How many distinct colours a screenshot has inside a margin of `inset` pixels (which leaves out
 * a frame's border and resize grip): a frame the browser left unpainted is one colour, a drawn
 * email hundreds (anti-aliased text). Decoded by Chromium itself, on a blank page of its own.
 */
async function distinctColours(png: Buffer, inset: number): Promise<number> {
  return lab.evaluate(
    async ([base64, margin]) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context2d = canvas.getContext('2d');
      context2d.drawImage(image, 0, 0);
      const { data } = context2d.getImageData(margin, margin, image.width - 2 * margin, image.height - 2 * margin);
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4)
        colours.add(((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0));
      return colours.size;
    },
    [png.toString('base64'), inset] as const,
  );
}

/**
 * How many pixels of a screenshot have each of `colours` (#RRGGBB, exactly), decoded by Chromium
 * on a blank page of its own: a bar drawn as a table cell with that background has many.
 */
async function pixelsOf(png: Buffer, colours: readonly string[]): Promise<Record<string, number>> {
  return lab.evaluate(
    async ([base64, wanted]) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context2d = canvas.getContext('2d');
      context2d.drawImage(image, 0, 0);
      const { data } = context2d.getImageData(0, 0, image.width, image.height);
      const counts: Record<string, number> = Object.fromEntries(wanted.map((c) => [c.toUpperCase(), 0]));
      const hex = (n: number) => n.toString(16).padStart(2, '0');
      for (let i = 0; i < data.length; i += 4) {
        const colour = `#${hex(data[i] ?? 0)}${hex(data[i + 1] ?? 0)}${hex(data[i + 2] ?? 0)}`.toUpperCase();
        if (colour in counts) counts[colour] = (counts[colour] ?? 0) + 1;
      }
      return counts;
    },
    [png.toString('base64'), colours] as const,
  );
}

/**
 * Whether a script runs in a srcdoc frame sandboxed with `sandbox`, tried on a blank page of its
 * own (without the gallery's Content-Security-Policy, so the sandbox alone decides).
 */
async function scriptRunsInFrame(sandbox: string): Promise<boolean> {
  expect(sandbox).toMatch(/^[a-z -]*$/);
  await lab.setContent(
    `<iframe sandbox="${sandbox}" srcdoc="<body>inert<script>document.body.textContent = 'ran'</script></body>"></iframe>`,
  );
  const frame = await (await lab.$('iframe'))?.contentFrame();
  return (await frame?.evaluate(() => document.querySelector('body')?.textContent)) === 'ran';
}

function delivery(entry: string, channelName: string): Locator {
  return page.locator(`article[data-entry="${entry}"] .delivery[data-channel-name="${channelName}"]`);
}

beforeAll(async () => {
  await runDemo();
  entries = (JSON.parse(readFileSync(join(OUT, 'deliveries.json'), 'utf8')) as { entries: Entry[] }).entries;
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'gdn-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 1000 },
  });
  lab = await context.newPage();
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`),
  );
  await page.goto(pathToFileURL(join(OUT, 'index.html')).href);
  await page.waitForSelector('html[data-ready="true"]');
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe('the demo gallery in Chromium', () => {
  it('loads with no script error, console error or CSP violation', () => {
    expect(problems).toEqual([]);
  });

  it('has a section for every replayed finding and one card per captured notification', async () => {
    expect(entries.length).toBeGreaterThan(20);
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('article[data-entry] .delivery')].map(
        (el) => `${el.closest('article')?.getAttribute('data-entry')}/${el.getAttribute('data-channel-name')}`,
      ),
    );
    const captured = entries.flatMap((e) => e.deliveries.map((d) => `${e.id}/${d.channelName}`));
    expect(shown.sort()).toEqual(captured.sort());
    await expect(page.locator('article[data-entry]').count()).resolves.toBe(entries.length);
  });

  it('renders every Teams card with the adaptivecards renderer, without validation warnings', async () => {
    const cards = page.locator('.teams-card');
    const total = entries.flatMap((e) => e.deliveries).filter((d) => d.delivered.type === 'teams').length;
    expect(total).toBeGreaterThan(20);
    await expect(cards.count()).resolves.toBe(total);
    await expect(page.locator('.teams-card.rendered .ac-adaptiveCard').count()).resolves.toBe(total);
    await expect(page.locator('.teams-card.failed, .teams-card-warnings').count()).resolves.toBe(0);
  });

  it('draws Slack and Google Chat cards: header, fields, colour bar, buttons', async () => {
    const slack = await page.evaluate(() =>
      // Finding cards (the report's card is checked on its own below).
      [
        ...document.querySelectorAll(
          'article:not([data-entry="weekly-report"]) .delivery[data-channel-name="sec-slack"]',
        ),
      ].map((el) => ({
        header: el.querySelector('.slack-header')?.textContent ?? '',
        fields: [...el.querySelectorAll('.slack-field')].length,
        bar: getComputedStyle(el.querySelector('.slack-bar')).backgroundColor,
        buttons: [...el.querySelectorAll('a.slack-button')].length,
      })),
    );
    expect(slack.length).toBeGreaterThan(20);
    for (const card of slack) {
      expect(card.header).toMatch(/(LOW|MEDIUM|HIGH|CRITICAL) \d+\.\d/);
      expect(card.fields).toBeGreaterThanOrEqual(5);
      // The bar takes the attachment colour (a severity colour, never the fallback grey).
      expect(card.bar).not.toBe('rgb(141, 153, 166)');
    }
    // Every finding with a console link (all but the aws-cn one) has its button (next-step buttons beside it).
    expect(slack.filter((c) => c.buttons >= 1).length).toBeGreaterThanOrEqual(slack.length - 1);
    const chat = await page.evaluate(() =>
      [
        ...document.querySelectorAll('article:not([data-entry="weekly-report"]) .delivery[data-channel="googleChat"]'),
      ].map((el) => ({
        title: el.querySelector('.chat-card-title')?.textContent ?? '',
        widgets: [...el.querySelectorAll('.chat-decorated')].length,
      })),
    );
    expect(chat.length).toBeGreaterThan(20);
    for (const card of chat) {
      expect(card.title).toMatch(/\S/);
      expect(card.widgets).toBeGreaterThanOrEqual(5);
    }
  });

  it("shows each finding's type in every channel's view, and digests as digests", async () => {
    const texts = await visibleTexts();
    for (const entry of entries) {
      for (const d of entry.deliveries) {
        const text = texts.get(`${entry.id}/${d.channelName}`) ?? '';
        if (entry.id === 'sandbox-burst') expect(text, `${entry.id} ${d.channelName}`).toMatch(/digest/i);
        else if (entry.id === 'weekly-report') expect(text, `${entry.id} ${d.channelName}`).toMatch(/\breport\b/i);
        else expect(text, `${entry.id} ${d.channelName}`).toContain(entry.type);
      }
    }
  });

  it("draws every email's HTML part: its frame holds the text and is not one colour, on screen and in a full-page capture", async () => {
    const emails = entries.flatMap((entry) =>
      entry.deliveries.filter((d) => d.delivered.type === 'email').map((d) => ({ entry, channelName: d.channelName })),
    );
    expect(emails.length).toBeGreaterThan(20);
    await expect(page.locator('iframe.email-html').count()).resolves.toBe(emails.length);
    // A full-page capture (a shared screenshot of the gallery) of frames far below the viewport takes
    // seconds each on a busy machine: the first, a middle and the last frame stand for the others.
    const deep = new Set([0, Math.floor(emails.length / 2), emails.length - 1]);
    for (const [index, { entry, channelName }] of emails.entries()) {
      const where = `${entry.id}/${channelName}`;
      const frame = delivery(entry.id, channelName).locator('iframe.email-html');
      const text = (await frame.contentFrame().locator('body').textContent()) ?? '';
      if (entry.id === 'sandbox-burst') expect(text, where).toMatch(/digest/i);
      else expect(text, where).toContain(entry.type);
      if (deep.has(index)) {
        await page.evaluate(() => window.scrollTo(0, 0));
        const box = await frame.boundingBox();
        expect(box, where).not.toBeNull();
        const clip = { x: box!.x, y: box!.y, width: box!.width, height: box!.height };
        const inCapture = await distinctColours(await page.screenshot({ fullPage: true, clip }), 16);
        expect(inCapture, `${where}: colours of the email frame in a full-page capture`).toBeGreaterThan(8);
      }
      // On screen, as someone scrolling the gallery sees it.
      const onScreen = await distinctColours(await frame.screenshot(), 16);
      expect(onScreen, `${where}: colours of the email frame on screen`).toBeGreaterThan(8);
    }
  }, 240_000);

  it("draws the weekly report's email: not blank, its severity bars painted in their colours", async () => {
    const report = entries.find((e) => e.id === 'weekly-report');
    const email = report?.deliveries.find((d) => d.delivered.type === 'email');
    expect(email, 'the report has an email delivery').toBeDefined();
    const frame = delivery('weekly-report', email!.channelName).locator('iframe.email-html');
    await frame.scrollIntoViewIfNeeded();
    const text = (await frame.contentFrame().locator('body').textContent()) ?? '';
    expect(text).toMatch(/GuardDuty report/);
    const shot = await frame.screenshot({ path: join(SHOTS, 'weekly-report--email.png') });
    expect(await distinctColours(shot, 16), 'colours of the report email').toBeGreaterThan(8);
    // The bars by severity are cells filled with the band colours: each band with findings shows
    // as a block of pixels of exactly that colour (a bar is at least 2 px wide and 14 px high).
    // Which bands have findings: the same report's numbers, from its webhook body.
    const webhook = report?.deliveries.find((d) => d.delivered.type === 'webhook')?.raw as { body: string };
    const counts = (JSON.parse(webhook.body) as { report: { bySeverity: Record<string, number> } }).report.bySeverity;
    const present = (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const).filter((b) => (counts[b] ?? 0) > 0);
    expect(present.length, 'bands with findings in the report').toBeGreaterThan(1);
    const pixels = await pixelsOf(
      shot,
      present.map((b) => BAND_COLOUR[b]),
    );
    for (const band of present) expect(pixels[BAND_COLOUR[band]], `${band} bar pixels`).toBeGreaterThanOrEqual(2 * 14);
  }, 60_000);

  it('shows the hostile finding as text in every channel, and runs none of it', async () => {
    const hostile = entries.find((e) => e.id === 'hostile');
    expect(hostile?.deliveries.length).toBeGreaterThanOrEqual(7);
    const texts = await visibleTexts();
    for (const d of hostile!.deliveries) {
      // The webhook's body is collapsed by default: read the JSON itself.
      const text =
        d.delivered.type === 'webhook'
          ? await delivery('hostile', d.channelName).locator('.json').textContent()
          : texts.get(`hostile/${d.channelName}`);
      expect(text, d.channelName).toContain('<script>window.__pwned=1</script>');
      expect(text, d.channelName).toContain('<img src=x onerror=window.__pwned=1>');
    }
    // Finding text never becomes a mention; the configured <!here> of slack-oncall does.
    await expect(delivery('hostile', 'sec-slack').locator('.mention').count()).resolves.toBe(0);
    await expect(delivery('hostile', 'slack-oncall').locator('.mention').allInnerTexts()).resolves.toEqual(['@here']);

    // Open everything that is collapsed, then look for anything that ran or became markup.
    await page.locator('details').evaluateAll((all) =>
      all.forEach((d) => {
        (d as unknown as { open: boolean }).open = true;
      }),
    );
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    const dom = await page.evaluate(() => ({
      scripts: [...document.scripts].map((s) => s.getAttribute('src') ?? `inline: ${s.textContent?.slice(0, 60)}`),
      foreign: document.querySelectorAll(
        'img, svg, object, embed, form, input, textarea, base, iframe:not(.email-html), link:not([rel="stylesheet"])',
      ).length,
      handlers: [...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`),
      ),
      hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href') ?? ''),
      frames: [...document.querySelectorAll('iframe')].map((f) => f.getAttribute('sandbox')),
    }));
    expect(dom.scripts.sort()).toEqual([...GALLERY_SCRIPTS].sort());
    expect(dom.foreign).toBe(0);
    expect(dom.handlers).toEqual([]);
    // Links go only to the AWS console or to the fixed next-step documentation pages.
    expect(
      dom.hrefs.filter((href) => !href.startsWith('#') && !CONSOLE_LINK.test(href) && !NEXT_STEP_URLS.has(href)),
    ).toEqual([]);
    // Email frames keep the page's origin (else Chromium leaves them unpainted off screen) and
    // nothing else: no scripts, forms, popups or navigation. The probe proves that value inert.
    expect(new Set(dom.frames)).toEqual(new Set(['allow-same-origin']));
    expect(await scriptRunsInFrame('allow-scripts')).toBe(true);
    expect(await scriptRunsInFrame(dom.frames[0] ?? '')).toBe(false);
    for (const frame of page.frames().slice(1)) {
      await expect(
        frame.evaluate(
          () => document.querySelectorAll('script, img, svg, iframe, object, embed, form, [onerror], [onload]').length,
        ),
      ).resolves.toBe(0);
    }
    expect(problems).toEqual([]);
  });

  it('filters by channel and by severity', async () => {
    await page.locator('.filters button[data-filter="channel"][data-value="teams"]').click();
    const visible = await page
      .locator('.delivery:visible')
      .evaluateAll((all) => [...new Set(all.map((el) => el.getAttribute('data-channel')))]);
    expect(visible).toEqual(['teams']);
    await page.locator('.filters button[data-filter="severity"][data-value="CRITICAL"]').click();
    const shown = await page
      .locator('article.finding:visible')
      .evaluateAll((all) => all.map((el) => el.getAttribute('data-severity')));
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(new Set(shown)).toEqual(new Set(['CRITICAL']));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'filter-teams-critical.png') });
    await page.locator('.filters button[data-filter="channel"][data-value=""]').click();
    await page.locator('.filters button[data-filter="severity"][data-value=""]').click();
    await expect(page.locator('article.finding:visible').count()).resolves.toBe(entries.length);
  });

  it('saves screenshots of the overview and of each channel for a few findings', async () => {
    await page.locator('details').evaluateAll((all) =>
      all.forEach((d) => {
        (d as unknown as { open: boolean }).open = false;
      }),
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'overview.png') });
    // The sticky filter bar would cover the top of element screenshots.
    await page.addStyleTag({ content: '.filters { position: static !important; }' });
    for (const id of ['rds-brute-force', 'hostile', 'escalated-update', 'sandbox-burst']) {
      const entry = entries.find((e) => e.id === id)!;
      for (const d of entry.deliveries) {
        await delivery(id, d.channelName).screenshot({ path: join(SHOTS, `${id}--${d.channelName}.png`) });
      }
    }
    expect(problems).toEqual([]);
  });
});
