import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { checkGolden } from './golden.testkit';
import { parseNotebook } from '../notebook/format';
import { referencesNoNetwork, sanitizeFragment } from './html';
import { tableOutput } from './from-arrow';
import { renderNotebookReport } from './notebook-report';
import { renderRunReport } from './run-report';
import type { CellOutput } from './types';

const NOTEBOOK = `---
title: Census
---

# Census income

Who earns more than **50K**? See [the data](data/adult.csv).

\`\`\`sql name=by_education fold
SELECT education, count(*) AS people FROM adult GROUP BY ALL
\`\`\`

## A chart

\`\`\`chart name=people_chart
{"table": "by_education", "mark": "bar", "x": "education", "y": "people"}
\`\`\`

\`\`\`input name=threshold type=slider min=0 max=1 step=0.1 value=0.5
\`\`\`

\`\`\`js name=broken hide=code
throw new Error('boom')
\`\`\`
`;

function outputsFor(): Map<string, CellOutput> {
  const doc = parseNotebook(NOTEBOOK);
  const byName = new Map(doc.cells.filter((c) => c.name).map((c) => [c.name!, c.id]));
  const table = tableFromArrays({ education: ['Bachelors', 'HS-grad', 'Masters'], people: Int32Array.from([5355, 10501, 1723]) });
  return new Map<string, CellOutput>([
    [byName.get('by_education')!, tableOutput(table, 2)],
    [byName.get('people_chart')!, { kind: 'svg', svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect width="10" height="10"/><image href="https://evil.example/x.png"/></svg>' }],
    [byName.get('threshold')!, { kind: 'input', value: 0.5 }],
    [byName.get('broken')!, { kind: 'error', message: 'Error: boom (line 1)' }],
  ]);
}

/** Normalised structure: tags and classes only, one per line — what the golden file pins. */
function structure(html: string): string {
  return [...html.matchAll(/<([a-z0-9]+)(?:[^>]*?\sclass="([^"]*)")?[^>]*>/gi)].map((m) => `${m[1]}${m[2] ? `.${m[2].replace(/\s+/g, '.')}` : ''}`).join('\n');
}


describe('renderNotebookReport(doc, outputs)', () => {
  const html = renderNotebookReport(parseNotebook(NOTEBOOK), outputsFor(), { subtitle: 'Generated from census.notebook.md' });

  it('matches the golden structure', () => checkGolden(import.meta.dirname, 'census.structure.txt', `${structure(html)}\n`));

  it('is one self-contained file: no network reference, no script, inline styles', () => {
    expect(referencesNoNetwork(html)).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onload=/i);
    expect(html).toContain('<style>');
  });

  it('shows a table of contents, folded code, the row count, the input value and the error', () => {
    expect(html).toContain('<a href="#census-income">Census income</a>');
    expect(html).toContain('<a href="#a-chart">A chart</a>');
    expect(html).toMatch(/<details class="code"><summary>Code<\/summary><pre class="code"><code>SELECT education/);
    expect(html).toContain('3 rows, first 2 shown');
    expect(html).toContain('<div class="input-value">0.5</div>');
    expect(html).toContain('Error: boom (line 1)');
    expect(html).not.toContain("throw new Error('boom')");
  });
});

describe('sanitizeFragment(html)', () => {
  it('drops scripts, handlers and network references but keeps local content', () => {
    const out = sanitizeFragment('<p onclick="x()">hi<script>bad()</script><img src="https://a.b/c.png"><a href="#local">l</a><div style="background:url(http://x/y)"></div></p>');
    expect(out).toBe('<p>hi<img><a href="#local">l</a><div style="background:none"></div></p>');
    expect(referencesNoNetwork(out)).toBe(true);
  });
});

describe('renderRunReport(input)', () => {
  it('renders metrics, params, sections and provenance without network references', () => {
    const html = renderRunReport({
      title: 'Run 01abc',
      params: { 'gbdt.learning_rate': 0.1, 'split.seed': 42 },
      metrics: { accuracy: 0.8712, roc_auc: 0.92345 },
      sections: [{ heading: 'ROC curve', outputs: [{ kind: 'svg', svg: '<svg><path d="M0 0L1 1"/></svg>' }] }],
      provenance: { 'data/adult.csv': 'sha256:abc', seed: '42' },
    });
    expect(html).toContain('<div class="v">0.8712</div><div class="k">accuracy</div>');
    expect(html).toContain('<a href="#roc-curve">ROC curve</a>');
    expect(referencesNoNetwork(html)).toBe(true);
  });
});
