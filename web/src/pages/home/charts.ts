import type { EChartsOption } from '../../components/ECharts';

export interface Datum {
  name: string;
  value: number;
}

/** Whether bars/slices show the pointer cursor (they lead somewhere when clicked). */
export interface ChartOptions {
  clickable?: boolean;
}

const cursorOf = (o?: ChartOptions) => (o?.clickable === false ? 'default' : 'pointer');

/** Horizontal bars, largest on top. */
export function horizontalBar(data: Datum[], seriesName: string, opts?: ChartOptions): EChartsOption {
  const sorted = [...data].sort((a, b) => a.value - b.value);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1, splitNumber: 3, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'category', data: sorted.map((d) => d.name), axisTick: { show: false } },
    series: [
      {
        type: 'bar',
        name: seriesName,
        cursor: cursorOf(opts),
        data: sorted.map((d) => d.value),
        itemStyle: { color: '#1d4ed8', borderRadius: [0, 4, 4, 0] },
        label: { show: true, position: 'right' },
        barMaxWidth: 22,
      },
    ],
  };
}

export function verticalBar(data: Datum[], seriesName: string, opts?: ChartOptions): EChartsOption {
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 8, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: data.map((d) => d.name), axisTick: { show: false } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        name: seriesName,
        cursor: cursorOf(opts),
        data: data.map((d) => d.value),
        itemStyle: { color: '#0e9f6e', borderRadius: [4, 4, 0, 0] },
        label: { show: true, position: 'top' },
        barMaxWidth: 36,
      },
    ],
  };
}

export function donut(data: Datum[], seriesName: string, opts?: ChartOptions): EChartsOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle', itemWidth: 12, itemHeight: 12 },
    series: [
      {
        type: 'pie',
        name: seriesName,
        cursor: cursorOf(opts),
        radius: ['42%', '72%'],
        center: ['32%', '50%'],
        data: data.filter((d) => d.value > 0),
        // Slice labels collide when there are many small slices; the legend and tooltip carry the names.
        label: { show: false },
        labelLine: { show: false },
      },
    ],
  };
}

/**
 * Worker-list age filter of a dashboard age band (`<30` → ageMax 29, `30-39` → 30..39, `≥60` → ageMin 60);
 * undefined for a band it cannot read.
 */
export function ageBandFilter(band: string): { ageMin?: number; ageMax?: number } | undefined {
  let m = /^<\s*(\d+)$/.exec(band);
  if (m) return { ageMax: Number(m[1]) - 1 };
  m = /^[≥>]=?\s*(\d+)$/.exec(band);
  if (m) return { ageMin: Number(m[1]) };
  m = /^(\d+)\s*-\s*(\d+)$/.exec(band);
  if (m) return { ageMin: Number(m[1]), ageMax: Number(m[2]) };
  return undefined;
}
