import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { metricNames, familyName, variableMetricNames, dashboardMetrics } from '../promql-metrics.mjs';

test('keeps sample suffixes and drops functions, labels, ranges and grouping', () => {
  assert.deepEqual(
    metricNames('histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket{instance=~"$instance", uri!="/x"}[$__rate_interval])))'),
    ['http_server_requests_seconds_bucket']);
});

test('finds every metric of a binary expression, ignoring numbers with exponents', () => {
  assert.deepEqual(
    metricNames('sum(rate(a_sum[5m])) / clamp_min(sum(rate(a_count[5m])), 1e-9) > bool 0.5 or on (instance) b_total offset 5m'),
    ['a_count', 'a_sum', 'b_total']);
});

test('label names inside matchers, by/without/on/group_left are not metrics', () => {
  assert.deepEqual(
    metricNames('sum without (pod) (x_total{code="E1"}) * on (instance) group_left (version) build_info'),
    ['build_info', 'x_total']);
});

test('a metric given by __name__ is found; strings are not read as metrics', () => {
  assert.deepEqual(metricNames('count({__name__="jvm_threads_live_threads", area="heap or nonheap"})'),
    ['jvm_threads_live_threads']);
});

test('rejects unbalanced or empty expressions', () => {
  assert.throws(() => metricNames('sum(rate(x[5m])'), /unclosed '\('/);
  assert.throws(() => metricNames('x{a="b"'), /unclosed/);
  assert.throws(() => metricNames('x{a="b}'), /unterminated string/);
  assert.throws(() => metricNames('  '), /empty/);
});

test('family strips one histogram suffix only', () => {
  assert.equal(familyName('h_seconds_bucket'), 'h_seconds');
  assert.equal(familyName('h_seconds_count'), 'h_seconds');
  assert.equal(familyName('c_total'), 'c_total');
  assert.equal(familyName('t_seconds_max'), 't_seconds_max');
});

test('label_values takes the selector, not the label', () => {
  assert.deepEqual(variableMetricNames('label_values(process_uptime_seconds{job="x"}, instance)'), ['process_uptime_seconds']);
  assert.deepEqual(variableMetricNames({ query: 'label_values(instance)' }), []);
});

test('a dashboard target naming no metric is an error that says where', () => {
  const dash = { panels: [{ id: 7, title: 'T', targets: [{ refId: 'A', expr: 'vector(1)' }] }] };
  assert.throws(() => dashboardMetrics(dash), /panel 7 "T" target A: expression names no metric/);
});

test('the shipped dashboard covers every area the stack promises', () => {
  const dash = JSON.parse(readFileSync(new URL('../../grafana/dashboards/signaling.json', import.meta.url)));
  const names = [...dashboardMetrics(dash).keys()];
  for (const needed of ['http_server_requests_seconds_bucket', 'http_server_requests_seconds_count',
    'websocket_connections_active', 'websocket_connections_total', 'signaling_messages_total',
    'signaling_errors_total', 'jvm_memory_used_bytes', 'jvm_gc_pause_seconds_count', 'jvm_threads_live_threads']) {
    assert.ok(names.includes(needed), `dashboard lacks ${needed}`);
  }
});
