// A chart drawn by Apache ECharts (modular imports: only the charts and components used
// here are in the bundle), with its figures as a table behind it for keyboards and screen
// readers. A chart with no figures says so instead of drawing empty axes. This module and
// ECharts load only with the screens that draw charts.
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { Empty } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartTable {
  columns: string[];
  rows: (string | number)[][];
}

/**
 * A chart with a summary for assistive technology and its data as a table; with no rows,
 * a note that there is nothing to show yet.
 */
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
  const empty = table.rows.length === 0;
  // The chart's box exists only while there are rows, so it is drawn again when the first
  // row arrives (a live update) and let go when the last one goes.
  useEffect(() => {
    if (empty || !box.current) return undefined;
    const instance = echarts.init(box.current, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.current = instance;
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(box.current);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [empty]);
  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option, empty]);
  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      {/* Keyed apart: ECharts empties its box when it lets go of it, which must not be
          the node React reuses for the note. */}
      {empty ? (
        <div key="empty" className="chart-empty" style={{ height }}>
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noData')} />
        </div>
      ) : (
        <div key="chart" ref={box} role="img" aria-label={`${title}：${summary}`} style={{ width: '100%', height }} />
      )}
      <details hidden={empty}>
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
