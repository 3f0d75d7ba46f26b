import { describe, expect, it } from 'vitest';
import { findInterpolations } from './interpolation';
import { formatValue, renderMarkdown } from './markdown-html';

const render = (source: string, values: unknown[]) => renderMarkdown(source, findInterpolations(source), values);

describe('renderMarkdown', () => {
  it('renderMarkdown(source, …) interpolates values as literal text', () => {
    expect(render('**${n}** people, ${s}', [32561, '<b>*x*</b>'])).toBe('<p><strong>32,561</strong> people, &lt;b&gt;*x*&lt;/b&gt;</p>\n');
  });

  it('renderMarkdown(source, …) escapes raw HTML and drops javascript: links', () => {
    const html = render('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> [a](javascript:alert(1)) [b](https://x.org)', []);
    expect(html).not.toMatch(/<script|<img|href="javascript/i);
    expect(html).toContain('&#60;script&#62;');
    expect(html).toContain('<a href="https://x.org" target="_blank" rel="noopener noreferrer">b</a>');
  });

  it('formatValue(value) groups integers, rounds fractions and abbreviates objects', () => {
    expect(formatValue(1234567)).toBe('1,234,567');
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(12n)).toBe('12');
    expect(formatValue({ a: [1, 2] })).toBe('{"a":[1,2]}');
  });
});
