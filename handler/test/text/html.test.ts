import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeWithin, htmlLines, htmlWithin } from '../../src/text/html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('leaves no tag or attribute break-out in hostile text', () => {
    const out = escapeHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> "><b>');
    expect(out).not.toMatch(/[<>"']/);
    expect(out).not.toContain('<script');
  });

  it('escapes existing entities again, so they show as typed', () => {
    expect(escapeHtml('&amp; &lt;b&gt;')).toBe('&amp;amp; &amp;lt;b&amp;gt;');
  });
});

describe('escapeWithin', () => {
  const entities = { '&': '&amp;', '<': '&lt;' };

  it('returns the escaped text unchanged when it fits', () => {
    expect(escapeWithin('a<b', 6, entities)).toBe('a&lt;b');
  });

  it('cuts between whole entities and ends with an ellipsis', () => {
    expect(escapeWithin('a<b', 5, entities)).toBe('a…');
    expect(escapeWithin('ab<<<', 8, entities)).toBe('ab&lt;…');
  });

  it('never splits a surrogate pair', () => {
    const out = escapeWithin('ab🔥🔥🔥', 5, entities);
    expect(out).toBe('ab🔥…');
    expect(out.length).toBeLessThanOrEqual(5);
  });

  it('returns an empty string for a zero budget', () => {
    expect(escapeWithin('abc', 0, entities)).toBe('');
  });

  it('keeps every output within its budget and never leaves a broken entity (exhaustive over short budgets)', () => {
    const samples = ['<&>"\'', 'plain text', '🔥<💀>&', `${'&'.repeat(50)}x`, 'a'.repeat(100)];
    for (const sample of samples) {
      for (let max = 1; max <= 60; max++) {
        const out = htmlWithin(sample, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out).not.toMatch(/&[a-z#0-9]*…$/);
        expect(out).not.toMatch(/[\uD800-\uDBFF]…?$/);
      }
    }
  });

  it('handles a 100 KB input quickly and within the budget', () => {
    const started = performance.now();
    const out = htmlWithin('<'.repeat(100_000), 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('htmlLines', () => {
  it('turns line breaks into <br> and escapes the rest', () => {
    expect(htmlLines('one <b>\ntwo', 100)).toBe('one &lt;b&gt;<br>two');
  });

  it('counts <br> against the budget and never cuts it', () => {
    expect(htmlLines('a\n\n\n', 6)).toBe('a<br>…');
    expect(htmlLines('a\n\n\n', 5)).toBe('a…');
  });
});
