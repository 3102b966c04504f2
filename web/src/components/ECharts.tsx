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

/** What a click on a bar or slice reports: the item's name and its index in the series data. */
export interface EChartItem {
  name: string;
  dataIndex: number;
}

/**
 * Mounts an ECharts instance on the returned ref, keeps it sized to its container and applies `option`;
 * `onItemClick` is called with the clicked bar or slice.
 */
export function useECharts<T extends HTMLElement = HTMLDivElement>(option: EChartsOption, onItemClick?: (item: EChartItem) => void) {
  const ref = useRef<T>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onItemClick);
  useEffect(() => {
    clickRef.current = onItemClick;
  }, [onItemClick]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('click', (params) => {
      if (params.componentType === 'series') clickRef.current?.({ name: String(params.name), dataIndex: params.dataIndex });
    });
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
  /** Called when a bar or slice is clicked. */
  onItemClick?: (item: EChartItem) => void;
  'data-testid'?: string;
}

export function EChart({ option, height = 280, style, onItemClick, ...rest }: EChartProps) {
  const ref = useECharts<HTMLDivElement>(option, onItemClick);
  return <div ref={ref} style={{ width: '100%', height, ...style }} data-testid={rest['data-testid']} />;
}
