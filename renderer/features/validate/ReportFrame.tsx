/** A generated HTML page shown in a sandboxed frame (no scripts, no same-origin access). */
export function ReportFrame({ html, title }: { html: string; title: string }) {
  return <iframe className="validate-frame" title={title} sandbox="" srcDoc={html} />;
}
