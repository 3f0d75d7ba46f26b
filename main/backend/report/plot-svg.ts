// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient types of the untyped jsdom package, seen by every tsconfig that reaches this file
/// <reference path="./jsdom.d.ts" />
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { UserInputError } from '../../../app/base/errors';
import { evaluateCell } from '../../../app/notebook/js-eval';

/** Width of charts drawn for a report, in CSS px: fits the report's column and an A4 page (scaled). */
export const REPORT_CHART_WIDTH = 760;

/**
 * Draws a chart cell headless: its Observable Plot code (bound to `Plot`, `data`, `width`, as in
 * the app) evaluated against a jsdom document, returned as SVG/HTML markup (a `<figure>` when
 * Plot adds a legend). Throws the cell's error when the code fails or returns no element.
 */
export async function renderChartSvg(code: string, rows: ReadonlyArray<Record<string, unknown>>, width = REPORT_CHART_WIDTH): Promise<string> {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  const document = dom.window.document;
  // Plot builds its elements with the `document` option; the cell's code does not pass one.
  const headlessPlot = {
    ...Plot,
    plot: (options: Plot.PlotOptions = {}) => Plot.plot({ ...options, document }),
  };
  try {
    const node = await evaluateCell(code, { Plot: headlessPlot, data: rows, width });
    if (!(node instanceof dom.window.Element)) throw new UserInputError('The chart code must return a DOM node (Plot.plot(…)).');
    return node.outerHTML;
  } finally {
    dom.window.close();
  }
}
