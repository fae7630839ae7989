// A report as a PDF (pdfkit, A4): the same sections as the HTML page — headline figures, the
// throughput chart drawn as vector bars, and the tables, breaking pages between rows. Uses the
// PDF's built-in Helvetica, so no font file is needed; it has no glyph for a few characters
// (the minus sign, arrows), which are written as their closest ASCII.
import PDFDocument from "pdfkit";
import type { ReportDocument, Table } from "./report-sections";

const MARGIN = 40;
const INK = "#111111";
const MUTED = "#555555";
const TONE: Record<string, string> = { good: "#0a7a3d", bad: "#b42318", neutral: MUTED };

/** Text Helvetica's WinAnsi encoding can show. */
const ansi = (t: string) =>
  t
    .replace(/\u2212/g, "-")
    .replace(/[\u2190-\u21ff]/g, "->")
    .replace(/[^\u0000-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, "?");

export function renderPdf(doc: ReportDocument): Promise<Buffer> {
  const pdf = new PDFDocument({ size: "A4", margin: MARGIN, info: { Title: ansi(doc.title), Author: "Switchboard", Subject: ansi(doc.period) } });
  const chunks: Buffer[] = [];
  pdf.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });
  const width = pdf.page.width - 2 * MARGIN;
  const bottom = () => pdf.page.height - MARGIN;
  const ensure = (h: number) => {
    if (pdf.y + h > bottom()) pdf.addPage();
  };

  pdf.fillColor(INK).font("Helvetica-Bold").fontSize(18).text(ansi(doc.title), MARGIN, MARGIN, { width });
  pdf.font("Helvetica").fontSize(9).fillColor(MUTED).text(ansi(doc.period), { width }).text(ansi(doc.generated), { width });
  if (doc.simulated) {
    pdf.moveDown(0.5);
    const y = pdf.y;
    pdf.rect(MARGIN, y, width, 20).fillAndStroke("#fff7e0", "#f0c36d");
    pdf.fillColor(INK).fontSize(9).text(ansi(doc.simulated), MARGIN + 6, y + 6, { width: width - 12, lineBreak: false, ellipsis: true });
    pdf.y = y + 24;
  }

  // Headline figures: a grid of four per row.
  pdf.moveDown(0.8);
  const cols = 4;
  const gap = 8;
  const bw = (width - gap * (cols - 1)) / cols;
  const bh = 52;
  doc.kpis.forEach((k, i) => {
    const x = MARGIN + (i % cols) * (bw + gap);
    if (i % cols === 0 && i > 0) pdf.y += bh + gap;
    const y = pdf.y;
    pdf.roundedRect(x, y, bw, bh, 4).lineWidth(0.5).stroke("#d0d0d0");
    pdf.fillColor(MUTED).font("Helvetica").fontSize(8).text(ansi(k.label), x + 8, y + 7, { width: bw - 16, lineBreak: false });
    pdf.fillColor(INK).font("Helvetica-Bold").fontSize(15).text(ansi(k.value), x + 8, y + 19, { width: bw - 16, lineBreak: false });
    pdf.fillColor(TONE[k.change.tone]).font("Helvetica").fontSize(8).text(ansi(k.change.text), x + 8, y + 38, { width: bw - 16, lineBreak: false });
    pdf.y = y;
  });
  pdf.y += bh + 18;

  // Throughput: stacked bars, succeeded below failed.
  ensure(170);
  pdf.x = MARGIN;
  const titleY = pdf.y;
  pdf.fillColor(INK).font("Helvetica-Bold").fontSize(12).text(ansi(`${doc.chart.title} ${doc.chart.stepLabel}`), MARGIN, titleY, { width });
  pdf.font("Helvetica").fontSize(8).fillColor("#2563eb").text("succeeded", MARGIN + width - 90, titleY + 3, { lineBreak: false });
  pdf.fillColor("#dc2626").text("failed", MARGIN + width - 30, titleY + 3, { lineBreak: false });
  pdf.y = titleY + 16;
  const chartTop = pdf.y + 6;
  const ch = 110;
  const bars = doc.chart.bars;
  const max = Math.max(1, ...bars.map((b) => b.succeeded + b.failed));
  const slot = width / Math.max(1, bars.length);
  pdf.moveTo(MARGIN, chartTop + ch).lineTo(MARGIN + width, chartTop + ch).lineWidth(0.5).stroke("#bbbbbb");
  const every = Math.ceil(bars.length / 12);
  bars.forEach((b, i) => {
    const x = MARGIN + i * slot + 1;
    const w = Math.max(0.8, slot - 2);
    const hs = (b.succeeded / max) * ch;
    const hf = (b.failed / max) * ch;
    if (hs > 0) pdf.rect(x, chartTop + ch - hs, w, hs).fill("#2563eb");
    if (hf > 0) pdf.rect(x, chartTop + ch - hs - hf, w, hf).fill("#dc2626");
    if (i % every === 0) pdf.fillColor(MUTED).font("Helvetica").fontSize(7).text(ansi(b.label), x, chartTop + ch + 3, { width: slot * every, lineBreak: false });
  });
  pdf.fillColor(MUTED).fontSize(7).text(`max ${max}`, MARGIN, chartTop - 9, { lineBreak: false });
  pdf.y = chartTop + ch + 22;

  for (const t of doc.tables) table(pdf, t, width, ensure);
  pdf.end();
  return done;
}

function table(pdf: PDFKit.PDFDocument, t: Table, width: number, ensure: (h: number) => void) {
  ensure(50);
  pdf.x = MARGIN;
  pdf.fillColor(INK).font("Helvetica-Bold").fontSize(12).text(ansi(t.title), MARGIN, pdf.y + 6, { width });
  pdf.moveDown(0.3);
  // The first column (a name or a finding) takes what the figures leave.
  const figure = Math.min(90, width / (t.columns.length + 1));
  const widths = t.columns.map((_, i) => (i === 0 ? width - figure * (t.columns.length - 1) : figure));
  const textCols = t.numeric.filter((n, i) => !n && i > 0).length;
  if (textCols) {
    // Text columns after the first (evidence, status) share the width with it.
    const share = (width - figure * t.numeric.filter(Boolean).length) / (textCols + 1);
    t.numeric.forEach((n, i) => (widths[i] = n ? figure : share));
  }
  const row = (cells: string[], bold: boolean, colour: string) => {
    pdf.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8.5);
    const h = Math.max(...cells.map((c, i) => pdf.heightOfString(ansi(c), { width: widths[i] - 6 }))) + 6;
    ensure(h);
    const y = pdf.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      pdf.fillColor(colour).text(ansi(c), x + 3, y + 3, { width: widths[i] - 6, align: t.numeric[i] ? "right" : "left" });
      x += widths[i];
    });
    pdf.moveTo(MARGIN, y + h).lineTo(MARGIN + width, y + h).lineWidth(0.3).stroke("#dddddd");
    pdf.y = y + h;
  };
  row(t.columns, true, MUTED);
  if (!t.rows.length) row([t.empty, ...t.columns.slice(1).map(() => "")], false, MUTED);
  for (const r of t.rows) row(r, false, INK);
  pdf.x = MARGIN;
  pdf.y += 8;
}
