// A report as one self-contained HTML page (inline styles and an inline SVG chart): what
// /api/v1/reports/:id/html serves, and the body of the e-mail that carries the PDF.
import type { ReportDocument } from "./report-sections";

const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const TONE: Record<string, string> = { good: "#0a7a3d", bad: "#b42318", neutral: "#555" };

function chart(doc: ReportDocument): string {
  const bars = doc.chart.bars;
  const max = Math.max(1, ...bars.map((b) => b.succeeded + b.failed));
  const W = 720;
  const H = 160;
  const bw = W / Math.max(1, bars.length);
  const every = Math.ceil(bars.length / 12);
  const rects = bars
    .map((b, i) => {
      const hs = (b.succeeded / max) * H;
      const hf = (b.failed / max) * H;
      const x = i * bw + 1;
      const label = i % every === 0 ? `<text x="${x + bw / 2 - 1}" y="${H + 14}" font-size="10" text-anchor="middle" fill="#555">${esc(b.label)}</text>` : "";
      return `<g><title>${esc(b.label)}: ${b.succeeded} succeeded, ${b.failed} failed</title><rect x="${x}" y="${H - hs}" width="${Math.max(1, bw - 2)}" height="${hs}" fill="#2563eb"/><rect x="${x}" y="${H - hs - hf}" width="${Math.max(1, bw - 2)}" height="${hf}" fill="#dc2626"/></g>${label}`;
    })
    .join("");
  return `<svg role="img" aria-label="${esc(doc.chart.title)} ${esc(doc.chart.stepLabel)}" viewBox="0 0 ${W} ${H + 20}" width="100%" style="max-width:${W}px"><line x1="0" y1="${H}" x2="${W}" y2="${H}" stroke="#ccc"/>${rects}<text x="0" y="10" font-size="10" fill="#555">${max}</text></svg>`;
}

export function renderHtml(doc: ReportDocument): string {
  const kpis = doc.kpis
    .map((k) => `<div style="border:1px solid #e3e3e3;border-radius:8px;padding:10px 12px;min-width:130px;flex:1"><div style="font-size:12px;color:#555">${esc(k.label)}</div><div style="font-size:22px;font-weight:600">${esc(k.value)}</div><div style="font-size:12px;color:${TONE[k.change.tone]}" title="${esc(k.change.description)}">${esc(k.change.text)}</div></div>`)
    .join("");
  const tables = doc.tables
    .map((t) => {
      const head = t.columns.map((c, i) => `<th style="text-align:${t.numeric[i] ? "right" : "left"};padding:6px 8px;border-bottom:1px solid #ccc;font-size:12px;color:#555">${esc(c)}</th>`).join("");
      const body = t.rows.length
        ? t.rows.map((r) => `<tr>${r.map((v, i) => `<td style="text-align:${t.numeric[i] ? "right" : "left"};padding:6px 8px;border-bottom:1px solid #eee;font-size:13px;vertical-align:top">${esc(v)}</td>`).join("")}</tr>`).join("")
        : `<tr><td colspan="${t.columns.length}" style="padding:6px 8px;color:#555;font-size:13px">${esc(t.empty)}</td></tr>`;
      return `<section><h2 style="font-size:16px;margin:24px 0 8px">${esc(t.title)}</h2><div style="overflow-x:auto"><table style="border-collapse:collapse;width:100%"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
    })
    .join("");
  const banner = doc.simulated ? `<p role="note" style="background:#fff7e0;border:1px solid #f0c36d;border-radius:6px;padding:8px 12px">${esc(doc.simulated)}</p>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(doc.title)}</title></head><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#111;margin:0;padding:16px;max-width:900px">
<header><h1 style="font-size:22px;margin:0 0 4px">${esc(doc.title)}</h1><p style="margin:0;color:#555;font-size:13px">${esc(doc.period)}</p><p style="margin:2px 0 0;color:#555;font-size:12px">${esc(doc.generated)}</p></header>
${banner}<section style="display:flex;flex-wrap:wrap;gap:8px;margin-top:16px">${kpis}</section>
<section><h2 style="font-size:16px;margin:24px 0 8px">${esc(doc.chart.title)} <span style="font-weight:normal;color:#555;font-size:13px">${esc(doc.chart.stepLabel)} · <span style="color:#2563eb">■</span> succeeded <span style="color:#dc2626">■</span> failed</span></h2>${chart(doc)}</section>
${tables}
</body></html>`;
}
