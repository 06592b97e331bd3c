import { describe, expect, it } from 'vitest';
import { niceScale, renderBarChart, reportCharts } from '../../../src/cli/svg-charts.js';
import { buildReport } from '../../../src/domain/metrics/report.js';
import { END, FULL, T0 } from '../metrics/full-fixture.js';

describe('SVG charts', () => {
  it('round axis tops and steps', () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 0.2 });
    expect(niceScale(100)).toEqual({ top: 100, step: 20 });
    expect(niceScale(18.4)).toEqual({ top: 20, step: 5 });
    expect(niceScale(13_100)).toEqual({ top: 15_000, step: 5000 });
    expect(niceScale(0.07)).toEqual({ top: 0.08, step: 0.02 });
  });

  it('the four charts of an interval report, empty intervals at either end left out', () => {
    const r = buildReport(FULL, { fromMs: T0 - 3600_000, toMs: END, interval: { kind: 'minutes', minutes: 15 } });
    const charts = reportCharts(r, { slTargetPct: 80, abandonTargetPct: 5 });
    expect(Object.keys(charts)).toEqual(['offered-answered.svg', 'service-level.svg', 'abandon-rate.svg', 'asa.svg']);
    const oa = charts['offered-answered.svg'];
    expect(oa?.labels).toEqual(['09:00']); // 08:00–08:45 and 09:15–09:45 had no calls
    expect(oa?.series.map((s) => [s.name, s.values])).toEqual([
      ['offered', [7]],
      ['answered', [4]],
    ]);
    expect(charts['service-level.svg']?.target).toEqual({ value: 80, label: 'target 80 %' });
    expect(charts['asa.svg']?.target?.value).toBe(20);
  });

  it('renders plain SVG: title, subtitle, axes titles, tick labels, one bar per value, target line, legend; text escaped', () => {
    const svg = renderBarChart({
      title: 'Queue <sales> & "support"',
      subtitle: 'today',
      yLabel: 'service level (%)',
      xLabel: 'start of each 30m interval',
      labels: ['09:00', '09:30', '10:00'],
      series: [{ name: 'service level', color: '#e15759', values: [85, null, 62.5], meets: { good: '#59a14f', test: (v) => v >= 80, goodName: 'meets target', badName: 'below target' } }],
      yMax: 100,
      target: { value: 80, label: 'target 80 %' },
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('<title>Queue &lt;sales&gt; &amp; &quot;support&quot;</title>');
    expect(svg).not.toMatch(/<script|href=|@import/);
    expect(svg).toContain('>service level (%)</text>');
    expect(svg).toContain('>start of each 30m interval</text>');
    for (const tick of ['0', '20', '40', '60', '80', '100']) expect(svg).toContain(`>${tick}</text>`);
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(2); // the null interval has no bar
    expect(svg).toContain('fill="#59a14f"><title>09:00 service level: 85</title>');
    expect(svg).toContain('fill="#e15759"><title>10:00 service level: 62.5</title>');
    expect(svg).toContain('stroke-dasharray="8 5"');
    expect(svg).toContain('>meets target</text>');
    expect(svg).toContain('>below target</text>');
  });

  it('says so when there are no calls', () => {
    const r = buildReport([], { fromMs: T0, toMs: END, interval: { kind: 'minutes', minutes: 60 } });
    const svg = renderBarChart(reportCharts(r, { slTargetPct: 80, abandonTargetPct: 5 })['service-level.svg']!);
    expect(svg).toContain('no calls in this range');
  });
});
