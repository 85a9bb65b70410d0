// Draws the Grafana dashboard (docker/grafana/dashboards/signaling.json) as one HTML page of SVG
// charts from a real Prometheus: every panel's own PromQL, evaluated over a time range through
// Prometheus's HTTP API. Grafana itself cannot be installed here (it is in none of the reachable
// registries), so this stands in for its renderer only; the queries, titles and layout are the
// dashboard's. Usage: node scripts/dashboard-snapshot.mjs PROM_URL START_S END_S OUT.html
import { readFileSync, writeFileSync } from 'node:fs';

const [promUrl, startArg, endArg, out] = process.argv.slice(2);
if (!promUrl || !startArg || !endArg || !out) {
  console.error('usage: node scripts/dashboard-snapshot.mjs PROM_URL START_S END_S OUT.html');
  process.exit(2);
}
const start = Number(startArg);
const end = Number(endArg);
const step = Math.max(1, Math.round((end - start) / 120));
const dashboard = JSON.parse(readFileSync(new URL('../docker/grafana/dashboards/signaling.json', import.meta.url)));

// Grafana's variables: every instance, and a rate window of four scrape intervals (5 s).
const expand = (expr) => expr.replaceAll('$instance', '.*').replaceAll('$__rate_interval', '20s');

async function range(expr) {
  const q = new URLSearchParams({ query: expand(expr), start, end, step });
  const res = await fetch(`${promUrl}/api/v1/query_range?${q}`);
  const body = await res.json();
  if (body.status !== 'success') throw new Error(`${expr}: ${body.error}`);
  return body.data.result;
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const palette = ['#73bf69', '#f2cc0c', '#8ab8ff', '#ff780a', '#f2495c', '#5794f2', '#b877d9', '#fade2a'];

function legend(target, metric) {
  const fmt = target.legendFormat;
  if (fmt && fmt !== '__auto') return fmt.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k) => metric[k] ?? '');
  const labels = Object.entries(metric).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}=${v}`);
  return labels.length ? labels.join(', ') : (target.refId || 'value');
}

function human(v) {
  const a = Math.abs(v);
  if (a >= 1e9) return (v / 1e9).toFixed(1) + 'G';
  if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
  if (a >= 1e3) return (v / 1e3).toFixed(1) + 'k';
  if (a === 0) return '0';
  if (a < 0.01) return v.toExponential(1);
  return v.toFixed(a < 10 ? 2 : 0);
}

function chart(series, w, h) {
  const pad = { l: 46, r: 8, t: 8, b: 18 };
  const values = series.flatMap((s) => s.points.map((p) => p[1])).filter(Number.isFinite);
  const max = values.length ? Math.max(...values, 0) : 1;
  const min = values.length ? Math.min(...values, 0) : 0;
  const span = max - min || 1;
  const x = (t) => pad.l + ((t - start) / (end - start || 1)) * (w - pad.l - pad.r);
  const y = (v) => pad.t + (1 - (v - min) / span) * (h - pad.t - pad.b);
  let svg = `<svg width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">`;
  for (let i = 0; i <= 4; i++) {
    const v = min + (span * i) / 4;
    svg += `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#2c3235"/>`;
    svg += `<text x="${pad.l - 4}" y="${y(v) + 4}" fill="#9fa7b3" font-size="10" text-anchor="end">${human(v)}</text>`;
  }
  for (let i = 0; i <= 4; i++) {
    const t = start + ((end - start) * i) / 4;
    const label = new Date(t * 1000).toISOString().slice(11, 19);
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    svg += `<text x="${x(t)}" y="${h - 4}" fill="#9fa7b3" font-size="10" text-anchor="${anchor}">${label}</text>`;
  }
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => Number.isFinite(p[1])).map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`);
    if (pts.length) svg += `<polyline fill="none" stroke="${palette[i % palette.length]}" stroke-width="1.5" points="${pts.join(' ')}"/>`;
  });
  return svg + '</svg>';
}

const unit = 60; // px per grid column (24 columns)
const rowPx = 34; // px per grid row
let html = `<!doctype html><meta charset="utf-8"><title>${esc(dashboard.title)}</title><style>
body{margin:0;background:#111217;color:#ccccdc;font:12px system-ui,sans-serif}
header{padding:10px 14px;font-size:16px;border-bottom:1px solid #2c3235}
header small{color:#9fa7b3;font-size:11px;margin-left:10px}
.grid{position:relative;width:${24 * unit + 16}px}
.panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:2px;overflow:hidden}
.panel h3{margin:0;padding:6px 8px 2px;font-size:12px;font-weight:500}
.row{position:absolute;font-size:14px;font-weight:500;padding:6px 4px}
.legend{padding:0 8px;font-size:10px;line-height:13px;max-height:40px;overflow:hidden}
.legend i{display:inline-block;width:10px;height:3px;margin:0 4px 2px 8px;vertical-align:middle}
.stat{font-size:48px;text-align:center;padding-top:50px;color:#73bf69}
</style><header>${esc(dashboard.title)}<small>drawn by scripts/dashboard-snapshot.mjs from the dashboard's own queries against a real Prometheus scrape, ${new Date(start * 1000).toISOString()} to ${new Date(end * 1000).toISOString()}</small></header><div class="grid">`;
let bottom = 0;
for (const panel of dashboard.panels) {
  const g = panel.gridPos;
  const left = g.x * unit + 8;
  const top = g.y * rowPx + 8;
  bottom = Math.max(bottom, top + g.h * rowPx);
  if (panel.type === 'row') {
    html += `<div class="row" style="left:${left}px;top:${top}px">${esc(panel.title)}</div>`;
    continue;
  }
  const w = g.w * unit - 6;
  const h = g.h * rowPx - 6;
  const series = [];
  for (const target of panel.targets || []) {
    for (const r of await range(target.expr)) {
      series.push({ name: legend(target, r.metric), points: r.values.map(([t, v]) => [t, Number(v)]) });
    }
  }
  let body;
  if (panel.type === 'stat') {
    const last = series[0]?.points.at(-1)?.[1];
    body = `<div class="stat">${last === undefined ? 'No data' : human(last) + (panel.fieldConfig?.defaults?.unit === 's' ? ' s' : '')}</div>`;
  } else {
    const legendHtml = series.slice(0, 8).map((s, i) => `<i style="background:${palette[i % palette.length]}"></i>${esc(s.name)}`).join(' ');
    body = chart(series, w - 2, h - 40 - 24) + `<div class="legend">${series.length ? legendHtml : 'No data'}</div>`;
  }
  html += `<div class="panel" style="left:${left}px;top:${top}px;width:${w}px;height:${h}px"><h3>${esc(panel.title)}</h3>${body}</div>`;
}
html += `</div><div style="height:${bottom + 10}px"></div>`;
writeFileSync(out, html);
console.log(JSON.stringify({ out, panels: dashboard.panels.length, height: bottom + 60, width: 24 * unit + 16 }));
