// A chart drawn by Apache ECharts (modular imports: only the charts and components used
// here are in the bundle), with its figures as a table behind it for keyboards and screen
// readers. This module and ECharts load only with the screens that draw charts.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartTable {
  columns: string[];
  rows: (string | number)[][];
}

/** A chart with a summary for assistive technology and its data as a table. */
export function Chart({ title, summary, option, table, height = 300, testId }: {
  title: string;
  summary: string;
  option: ChartOption;
  table: ChartTable;
  height?: number;
  testId?: string;
}) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!box.current) return undefined;
    const instance = echarts.init(box.current, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);
  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <div ref={box} role="img" aria-label={`${title}：${summary}`} style={{ width: '100%', height }} />
      <details>
        <summary>{t('dashboard.table')}</summary>
        <table className="chart-table">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
