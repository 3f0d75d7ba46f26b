// jsdom ships no types; this is the sliver Vajra uses to draw Plot charts headless (plot-svg.ts).
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string);
    readonly window: {
      readonly document: NonNullable<import('@observablehq/plot').PlotOptions['document']>;
      readonly Element: abstract new () => { readonly outerHTML: string };
      close(): void;
    };
  }
}
