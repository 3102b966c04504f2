import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type CSSProperties } from 'react';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type EChartsOption = echarts.ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** Mounts an ECharts instance on the returned ref, keeps it sized to its container and applies `option`. */
export function useECharts<T extends HTMLElement = HTMLDivElement>(option: EChartsOption) {
  const ref = useRef<T>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(option, { notMerge: true });
  }, [option]);

  return ref;
}

export interface EChartProps {
  option: EChartsOption;
  height?: number;
  style?: CSSProperties;
  'data-testid'?: string;
}

export function EChart({ option, height = 280, style, ...rest }: EChartProps) {
  const ref = useECharts<HTMLDivElement>(option);
  return <div ref={ref} style={{ width: '100%', height, ...style }} data-testid={rest['data-testid']} />;
}
