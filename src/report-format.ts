/**
 * A community's report as people read it: plain text (the CLI, Slack, Discord), JSON, CSV, or one
 * self-contained HTML page with inline SVG charts (no scripts, no network), for those who would rather
 * look than read. Fact ids are shown with their titles.
 */
import type { Report } from "./store/store.js";

export type ReportFormat = "text" | "json" | "csv" | "html";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function formatReport(
  report: Report,
  format: ReportFormat,
  titles: Map<string, string>,
  heading: string,
): string {
  const title = (id: string) => titles.get(id) ?? id;
  if (format === "json") return `${JSON.stringify(report, null, 2)}\n`;
  if (format === "csv") {
    const rows = [["section", "key", "count", "extra"]];
    for (const k of report.byKind) rows.push(["replies", k.kind, String(k.count), ""]);
    for (const d of report.byDay) rows.push(["day", d.day, String(d.count), ""]);
    for (const f of report.topFacts) rows.push(["fact", f.fact, String(f.count), title(f.fact)]);
    for (const f of report.notHelpful) rows.push(["not_helpful", f.fact, String(f.notHelpful), `helpful ${f.helpful}`]);
    for (const r of report.rules) rows.push(["safety_rule", r.rule, String(r.count), ""]);
    rows.push(["unanswered", "", String(report.unanswered), ""]);
    for (const g of report.questions) for (const t of g.texts) rows.push(["question", g.nearest, "1", t]);
    return `${rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(",")).join("\n")}\n`;
  }
  if (format === "html") return html(report, title, heading);
  const lines = [
    `${heading} (${report.since} to ${report.until}${report.community ? `, ${report.community}` : ""})`,
    `Replies: ${report.total}${report.byKind.length ? ` (${report.byKind.map((k) => `${k.kind} ${k.count}`).join(", ")})` : ""}`,
    `Unanswered: ${report.unanswered}`,
    "Top facts:",
    ...report.topFacts.map((f) => `  ${f.count}  ${title(f.fact)}`),
    "Marked not helpful:",
    ...report.notHelpful.map((f) => `  ${f.notHelpful} (helpful ${f.helpful})  ${title(f.fact)}`),
    "Safety routes:",
    ...report.rules.map((r) => `  ${r.count}  ${r.rule}`),
    "Unanswered questions, by nearest topic:",
    ...report.questions.flatMap((g) => [
      `  ${g.nearest ? title(g.nearest) : "(no near topic)"}:`,
      ...g.texts.map((t) => `    - ${t}`),
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

/** A horizontal bar chart as inline SVG. */
function bars(items: { label: string; value: number }[]): string {
  if (items.length === 0) return "<p>None.</p>";
  const max = Math.max(...items.map((i) => i.value), 1);
  const row = 26;
  const svg = items
    .map((item, i) => {
      const w = Math.round((item.value / max) * 360);
      const y = i * row;
      return `<text x="0" y="${y + 17}" font-size="13">${esc(item.label.slice(0, 48))}</text><rect x="330" y="${y + 4}" width="${w}" height="18" fill="#457b9d"/><text x="${336 + w}" y="${y + 17}" font-size="13">${item.value}</text>`;
    })
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="760" height="${items.length * row}" viewBox="0 0 760 ${items.length * row}">${svg}</svg>`;
}

function html(report: Report, title: (id: string) => string, heading: string): string {
  const section = (h: string, body: string) => `<section><h2>${esc(h)}</h2>${body}</section>`;
  const questions = report.questions
    .map(
      (g) =>
        `<h3>${esc(g.nearest ? title(g.nearest) : "No near topic")}</h3><ul>${g.texts.map((t) => `<li>${esc(t)}</li>`).join("")}</ul>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(heading)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:820px;margin:2em auto;color:#1d3557}h2{border-bottom:1px solid #ccc}</style>
</head><body>
<h1>${esc(heading)}</h1>
<p>${esc(report.since)} to ${esc(report.until)}${report.community ? `, ${esc(report.community)}` : ""}: ${report.total} replies, ${report.unanswered} unanswered.</p>
${section("Replies by kind", bars(report.byKind.map((k) => ({ label: k.kind, value: k.count }))))}
${section("Replies by day", bars(report.byDay.map((d) => ({ label: d.day, value: d.count }))))}
${section("Top facts", bars(report.topFacts.map((f) => ({ label: title(f.fact), value: f.count }))))}
${section("Marked not helpful", bars(report.notHelpful.map((f) => ({ label: title(f.fact), value: f.notHelpful }))))}
${section("Safety routes", bars(report.rules.map((r) => ({ label: r.rule, value: r.count }))))}
${section("Unanswered questions, by nearest topic", questions || "<p>None kept.</p>")}
</body></html>
`;
}
