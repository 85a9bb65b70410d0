// Extracts the metric names that PromQL expressions query, so the names a Grafana dashboard
// depends on can be compared with what the server really exports. Not a PromQL parser: it strips
// what cannot be a metric name (strings, label matchers, ranges, grouping clauses, numbers,
// function calls, keywords) and keeps the identifiers left over. Precise enough for dashboard
// queries, and it refuses input it cannot make sense of rather than guessing.

const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool',
  'and', 'or', 'unless', 'atan2', 'inf', 'nan', 'start', 'end',
]);

const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)/g;

/** Checks brackets pair up outside strings; throws with the offending position. */
function checkBalanced(expr) {
  const open = { '(': ')', '[': ']', '{': '}' };
  const stack = [];
  let quote = null;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') quote = c;
    else if (open[c]) stack.push({ want: open[c], at: i });
    else if (c === ')' || c === ']' || c === '}') {
      const top = stack.pop();
      if (!top || top.want !== c) throw new Error(`unbalanced '${c}' at offset ${i}`);
    }
  }
  if (quote) throw new Error(`unterminated string (${quote})`);
  if (stack.length) throw new Error(`unclosed '${expr[stack.at(-1).at]}' at offset ${stack.at(-1).at}`);
}

/**
 * Returns the sorted, de-duplicated metric names an expression selects, exactly as written
 * (suffixes such as _bucket, _count, _sum, _total and _max are kept: they are sample names).
 * Grafana variables ($var, ${var}, $__rate_interval) are allowed anywhere.
 */
export function metricNames(expr) {
  if (typeof expr !== 'string' || expr.trim() === '') throw new Error('empty expression');
  checkBalanced(expr);
  const names = new Set();
  for (const m of expr.matchAll(/__name__\s*=\s*"([A-Za-z_:][A-Za-z0-9_:]*)"/g)) names.add(m[1]);
  let s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/#[^\n]*/g, ' ')
    .replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, ' ')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\[[^\[\]]*\]/g, ' ')
    .replace(/@\s*[0-9.]+/g, ' ');
  s = s.replace(GROUPING, ' ');
  for (const m of s.matchAll(/[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const word = m[0];
    const before = m.index > 0 ? s[m.index - 1] : ' ';
    if (/[0-9.]/.test(before)) continue; // exponent or unit of a number/duration: 1e-9, 5m
    const after = s.slice(m.index + word.length).match(/^\s*(.)/);
    if (after && after[1] === '(') continue; // function or aggregation
    if (KEYWORDS.has(word.toLowerCase())) continue;
    names.add(word);
  }
  return [...names].sort();
}

/** The family a sample name belongs to: one trailing _bucket, _count or _sum removed. */
export function familyName(sampleName) {
  return sampleName.replace(/_(?:bucket|count|sum)$/, '');
}

/** The metric names of a Grafana templating query (label_values(metric, label), or PromQL). */
export function variableMetricNames(query) {
  const text = typeof query === 'string' ? query : query?.query;
  if (!text) return [];
  const lv = text.match(/^\s*label_values\(\s*(.*)\)\s*$/s);
  if (lv) {
    const args = lv[1];
    // label_values(label) names no metric; label_values(selector, label) names the selector's.
    const comma = args.lastIndexOf(',');
    return comma < 0 ? [] : metricNames(args.slice(0, comma));
  }
  const qr = text.match(/^\s*query_result\(\s*(.*)\)\s*$/s);
  return metricNames(qr ? qr[1] : text);
}

/** Walks a dashboard (rows, nested panels, templating) and yields {where, expr|query, kind}. */
export function* dashboardQueries(dashboard) {
  function* walk(panels, path) {
    for (const p of panels ?? []) {
      const where = `${path}panel ${p.id ?? '?'} "${p.title ?? ''}"`;
      for (const t of p.targets ?? []) {
        if (t.expr !== undefined) yield { where: `${where} target ${t.refId ?? '?'}`, kind: 'expr', text: t.expr };
      }
      if (p.panels) yield* walk(p.panels, `${where} > `);
    }
  }
  yield* walk(dashboard.panels, '');
  for (const v of dashboard.templating?.list ?? []) {
    if (v.type === 'query') yield { where: `variable $${v.name}`, kind: 'variable', text: v.query };
  }
}

/**
 * All metric names a dashboard queries, with the place each came from. Throws an Error listing
 * every expression that could not be read or names no metric.
 */
export function dashboardMetrics(dashboard) {
  const found = new Map();
  const problems = [];
  for (const q of dashboardQueries(dashboard)) {
    let names;
    try {
      names = q.kind === 'variable' ? variableMetricNames(q.text) : metricNames(q.text);
    } catch (e) {
      problems.push(`${q.where}: ${e.message}: ${JSON.stringify(q.text)}`);
      continue;
    }
    if (q.kind === 'expr' && names.length === 0) {
      problems.push(`${q.where}: expression names no metric: ${JSON.stringify(q.text)}`);
    }
    for (const n of names) {
      if (!found.has(n)) found.set(n, []);
      found.get(n).push(q.where);
    }
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return found;
}
