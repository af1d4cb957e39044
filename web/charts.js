// The overview's hourly chart, drawn with uPlot (vendor/uplot.js, loaded as a classic script: window.uPlot).
// Spike hours are shaded behind the lines and listed in the legend's caption.

import { formatHour } from './i18n.js';

let loading;

/** uPlot is only fetched for the overview, so the inbox's first page does not wait for it. */
export function loadUplot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = 'vendor/uplot.js';
    script.onload = () => resolve(window.uPlot);
    script.onerror = () => {
      loading = undefined;
      reject(new Error('the chart library did not load'));
    };
    document.head.append(script);
  });
  return loading;
}

const COLORS = { mentions: '#1d4ed8', negative: '#b45309', flagged: '#b91c1c', spike: 'rgba(185, 28, 28, 0.14)' };

/**
 * @param {HTMLElement} el
 * @param {{hour: string, mentions: number, negative: number, flagged: number, spike: boolean}[]} hourly
 * @param {{mentions: string, negative: string, flagged: string}} labels
 */
export function hourlyChart(el, hourly, labels, width) {
  const uPlot = window.uPlot;
  const xs = hourly.map((point) => Date.parse(`${point.hour}:00:00Z`) / 1000);
  const spikes = hourly.filter((point) => point.spike).map((point) => Date.parse(`${point.hour}:00:00Z`) / 1000);
  const shadeSpikes = (u) => {
    const { ctx } = u;
    const top = u.bbox.top;
    const height = u.bbox.height;
    ctx.save();
    ctx.fillStyle = COLORS.spike;
    for (const x of spikes) {
      const left = u.valToPos(x, 'x', true);
      const right = u.valToPos(x + 3600, 'x', true);
      ctx.fillRect(left, top, Math.max(2, right - left), height);
    }
    ctx.restore();
  };
  const opts = {
    width,
    height: 260,
    scales: { x: { time: true } },
    axes: [{ stroke: '#374151', space: 90 }, { stroke: '#374151' }],
    series: [
      { value: (u, v) => (v === null ? '–' : formatHour(v * 1000)) },
      { label: labels.mentions, stroke: COLORS.mentions, width: 2, points: { show: false } },
      { label: labels.negative, stroke: COLORS.negative, width: 2, points: { show: false } },
      {
        label: labels.flagged,
        stroke: COLORS.flagged,
        width: 2,
        fill: 'rgba(185, 28, 28, 0.08)',
        points: { show: false },
      },
    ],
    hooks: { drawClear: [shadeSpikes] },
  };
  const data = [xs, hourly.map((p) => p.mentions), hourly.map((p) => p.negative), hourly.map((p) => p.flagged)];
  return new uPlot(opts, data, el);
}
