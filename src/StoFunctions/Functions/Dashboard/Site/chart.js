// The ownership chart: a donut of the largest holders plus "the rest", drawn as SVG circles whose dash lengths
// are the shares (no library). The legend is an ordered list carrying the same numbers, which is what screen
// readers (and the tests) read; the SVG itself is one labelled image.
import { h, s, shortHex } from './dom.js';
import { fixedText, percentText } from './units.js';

const palette = ['#1d4ed8', '#b45309', '#047857', '#7c3aed', '#be123c', '#0e7490'];
const restColor = '#6b7280';

/**
 * Slices of the chart: the `top` largest holders (by raw balance, with the API's balance and percent) and one
 * "rest" slice for everyone else: `totalRaw` less theirs, so holders beyond the page still count.
 */
export function slices(holders, totalRaw, decimals, top = 5) {
  const sorted = [...holders].filter(x => BigInt(x.raw) > 0n).sort((a, b) => (BigInt(b.raw) > BigInt(a.raw) ? 1 : BigInt(b.raw) < BigInt(a.raw) ? -1 : 0));
  const largest = sorted.slice(0, top).map((x, i) => ({
    label: named(x.name) ?? shortHex(x.address), address: x.address, raw: BigInt(x.raw), balance: x.balance, percent: x.percent, color: palette[i % palette.length],
  }));
  // The rest is printed like the API prints balances (its fraction digits), so the legend reads as one table.
  const digits = (holders.find(x => x.balance)?.balance.split('.')[1] ?? '').length;
  const restRaw = totalRaw - largest.reduce((sum, x) => sum + x.raw, 0n);
  const result = largest;
  if (restRaw > 0n) {
    result.push({
      label: `Rest (${sorted.length - largest.length} holders)`, address: '', raw: restRaw, balance: fixedText(restRaw, decimals, digits),
      percent: percentText(restRaw, totalRaw), color: restColor,
    });
  }
  return result;
}

// The cap table names a holder without an identity '<Unknown>'; the chart shows its address instead.
function named(name) {
  return name && name !== '<Unknown>' ? name : null;
}

export function ownershipChart(parts, totalRaw, symbol) {
  const radius = 15.9155; // circumference 100: dash lengths are percentages
  const ring = s('g', { transform: 'rotate(-90 21 21)' },
    s('circle', { cx: 21, cy: 21, r: radius, fill: 'none', stroke: '#e5e7eb', 'stroke-width': 7 }));
  let offset = 0;
  for (const part of parts) {
    const share = totalRaw === 0n ? 0 : Number((part.raw * 1000000n) / totalRaw) / 10000;
    ring.append(s('circle', {
      cx: 21, cy: 21, r: radius, fill: 'none', stroke: part.color, 'stroke-width': 7,
      'stroke-dasharray': `${share} ${100 - share}`, 'stroke-dashoffset': -offset,
      class: 'slice', dataset: { raw: part.raw.toString(), address: part.address },
    }));
    offset += share;
  }
  const summary = parts.map(p => `${p.label} ${p.percent}%`).join(', ');
  const svg = s('svg', { viewBox: '0 0 42 42', class: 'donut', role: 'img', 'aria-labelledby': 'chart-title' },
    s('title', { id: 'chart-title' }, `Ownership of ${symbol}: ${summary || 'no holders'}`), ring);
  const legend = h('ol', { class: 'legend', id: 'chart-legend' }, parts.map(p => h('li', { dataset: { raw: p.raw.toString(), address: p.address } },
    h('span', { class: `swatch`, dataset: { color: p.color } }, s('svg', { viewBox: '0 0 10 10', 'aria-hidden': 'true' }, s('rect', { width: 10, height: 10, fill: p.color }))),
    h('span', { class: 'legend-label' }, p.label),
    h('span', { class: 'legend-balance' }, `${p.balance} ${symbol}`),
    h('span', { class: 'legend-percent' }, `${p.percent}%`))));
  return h('figure', { class: 'chart' }, svg, h('figcaption', {}, legend));
}
