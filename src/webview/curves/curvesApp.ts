// The Training Curves page: the toolbar (x axis, y scale, smoothing, zoom reset, CSV), the legend,
// one chart per metric and the runs table. Charted runs' curves are asked for once (curves/load)
// and then grow from the host's curves/append notifications; the UI state lives in
// CurvesStateStore, so the page comes back as it was after hide or reload.

import type { CurveRun, CurvesInit, CurvesNotifications, CurvesRequests } from '../../shared/curvesApi';
import { CURVES_TIMEOUTS } from '../../shared/curvesApi';
import { EngineError } from '../../shared/errors';
import type { RpcChannel } from '../../shared/rpc';
import type { RunsTableRow } from '../../shared/runsTable';
import { el } from '../dom';
import { Disposables } from '../disposables';
import { currentTheme, setPlotTheme, watchTheme, watchThemeColours } from '../theme';
import { exportName } from '../views/exportView';
import type { StatusLine } from '../views/statusLine';
import { CurveChart, type ChartHost } from './chart';
import { chartPng, chartSvg, runsCsv } from './curvesExport';
import type { CurvesStateStore } from './curvesState';
import { runColour } from './runColours';
import { RunsTableView } from './runsTableView';
import { CurveRunData, METRICS, type XAxis } from './runStore';

export type CurvesPageChannel = RpcChannel<CurvesRequests, Record<string, never>, Record<string, never>, CurvesNotifications>;

/** The page waits this much longer than the host, so the host's own timeout (a clearer error) answers first. */
const PAGE_GRACE_MS = 60_000;
/** A wheel zoom has settled this long after its last event: the charts then draw every column again. */
const ZOOM_SETTLE_MS = 120;

export class CurvesApp {
  readonly element: HTMLElement;
  readonly charts: CurveChart[];
  private readonly disposables = new Disposables();
  private readonly runs = new Map<string, CurveRunData>();
  private rows: RunsTableRow[] = [];
  private readonly table: RunsTableView;
  private readonly legend: HTMLElement;
  private readonly live: HTMLElement;
  private readonly chartHost: ChartHost;
  private loading = new Set<string>();
  /** Pending end of a wheel zoom gesture (see view().zooming). */
  private settle: ReturnType<typeof setTimeout> | undefined;
  /** The theme's chart colours, read when first needed after a theme change. */
  private colours: ReturnType<ChartHost['colours']> | undefined;

  constructor(
    private readonly channel: CurvesPageChannel,
    private readonly state: CurvesStateStore,
    private readonly status: StatusLine,
    init: CurvesInit,
  ) {
    setPlotTheme(init.plotTheme);
    this.chartHost = {
      runs: () => this.visibleRuns(),
      view: () => this.view(),
      setZoom: (range, gesture) => this.setZoom(range, gesture),
      openCheckpoint: (run, epoch) => this.openCheckpoint(run, epoch),
      announce: (text) => (this.live.textContent = text),
      // Read once, not per chart and frame: reading computed style after a chart's attribute writes
      // makes the browser recompute the page's style before the next chart can draw.
      colours: () => (this.colours ??= chartColours()),
    };
    this.live = el('div', { class: 'visually-hidden', attrs: { 'aria-live': 'polite', role: 'status' }, data: { testid: 'curves-announcer' } });
    this.legend = el('div', { class: 'curves-legend', attrs: { role: 'group', 'aria-label': 'Charted runs: press to hide or show' }, data: { testid: 'curves-legend' } });
    this.charts = METRICS.map((metric) => {
      const buttons = (['png', 'svg'] as const).map((format) => {
        const button = el('button', {
          class: 'link-button',
          text: format.toUpperCase(),
          attrs: { type: 'button', 'aria-label': `Save the ${metric.title} chart as ${format.toUpperCase()}` },
          data: { testid: `export-${format}-${metric.key}` },
        });
        this.disposables.listen(button, 'click', () => void this.saveChart(chart, format));
        return button;
      });
      const chart: CurveChart = new CurveChart(metric, this.chartHost, this.disposables, buttons);
      return chart;
    });
    this.table = new RunsTableView(
      {
        isCharted: (id) => this.selected().includes(id),
        setCharted: (id, charted) => this.setCharted(id, charted),
        colour: (id) => this.colour(id),
        sort: () => this.state.current.sort,
        setSort: (sort) => this.state.update({ sort }),
        filter: () => this.state.current.filter,
        setFilter: (filter) => this.state.update({ filter }),
      },
      this.disposables,
    );
    this.element = el(
      'div',
      { class: 'curves-app', data: { testid: 'curves-app' } },
      el('header', { class: 'curves-header' }, el('h1', { text: 'Training curves' }), this.toolbar()),
      this.legend,
      el('div', { class: 'curves-grid', data: { testid: 'curves-charts' } }, ...this.charts.map((c) => c.element)),
      this.table.element,
      this.live,
    );
    watchTheme(this.disposables, () => this.refresh());
    watchThemeColours(this.disposables, () => {
      this.colours = undefined;
      this.refreshCharts();
    });
    this.disposables.add(() => clearTimeout(this.settle));
    this.setRows(init);
  }

  /** The table's rows and, when the command named runs, the runs to chart. */
  setRows(init: CurvesInit): void {
    this.rows = init.rows;
    const known = new Set(init.rows.map((r) => r.id));
    let selected = (init.select ?? this.state.current.selected ?? init.rows.slice(0, 1).map((r) => r.id)).filter((id) => known.has(id));
    if (init.select) selected = [...new Set([...init.select.filter((id) => known.has(id))])];
    this.state.update({ selected, hidden: this.state.current.hidden.filter((id) => selected.includes(id)) });
    for (const id of [...this.runs.keys()]) if (!known.has(id)) this.runs.delete(id);
    this.table.setRows(this.rows);
    void this.loadMissing();
    this.refresh();
  }

  onAppend(update: CurvesNotifications['curves/append']): void {
    const run = this.runs.get(update.id);
    if (!run) return;
    run.append(update);
    this.updateRow(update.row);
    this.refreshCharts();
  }

  onReplace(whole: CurveRun): void {
    const run = this.runs.get(whole.id);
    if (!run) return;
    run.replace(whole);
    this.updateRow(whole.row);
    this.refreshCharts();
  }

  dispose(): void {
    this.state.flush();
    this.disposables.dispose();
    this.element.remove();
  }

  private updateRow(row: RunsTableRow): void {
    const i = this.rows.findIndex((r) => r.id === row.id);
    if (i >= 0 && JSON.stringify(this.rows[i]) !== JSON.stringify(row)) {
      this.rows[i] = row;
      this.table.setRows(this.rows);
    }
  }

  private selected(): string[] {
    return this.state.current.selected ?? [];
  }

  private visibleRuns(): { run: CurveRunData; colour: string }[] {
    const hidden = new Set(this.state.current.hidden);
    return this.selected()
      .filter((id) => !hidden.has(id))
      .map((id) => this.runs.get(id))
      .filter((run): run is CurveRunData => run !== undefined)
      .map((run) => ({ run, colour: this.colour(run.id) }));
  }

  private colour(id: string): string {
    return runColour(Math.max(0, this.rows.findIndex((r) => r.id === id)), currentTheme());
  }

  private view(): ReturnType<ChartHost['view']> {
    const { x, log, smoothing, zoom } = this.state.current;
    return { x, log, smoothing, zoom: zoom && zoom.x === x ? [zoom.from, zoom.to] : null, zooming: this.settle !== undefined };
  }

  /** `gesture`: one step of a wheel zoom, redrawn coarser until it settles (ZOOM_SETTLE_MS after its last step). */
  private setZoom(range: [number, number] | null, gesture = false): void {
    const valid = range && Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] < range[1];
    this.state.update({ zoom: valid ? { x: this.state.current.x, from: range[0], to: range[1] } : null });
    clearTimeout(this.settle);
    this.settle = undefined;
    if (gesture) {
      this.settle = setTimeout(() => {
        this.settle = undefined;
        // When it settled, for the benchmark's settle row (from here to the redrawn charts).
        this.element.dataset.zoomSettledAt = String(performance.now());
        this.refreshCharts();
      }, ZOOM_SETTLE_MS);
    }
    this.refreshCharts();
  }

  private setCharted(id: string, charted: boolean): void {
    const selected = this.selected().filter((s) => s !== id);
    if (charted) selected.push(id);
    this.state.update({ selected, hidden: this.state.current.hidden.filter((h) => h !== id) });
    void this.loadMissing();
    this.refresh();
  }

  private async loadMissing(): Promise<void> {
    const ids = this.selected().filter((id) => !this.runs.has(id) && !this.loading.has(id));
    if (ids.length === 0) return;
    ids.forEach((id) => this.loading.add(id));
    this.element?.setAttribute('aria-busy', 'true');
    try {
      const loaded = await this.request('curves/load', { ids });
      for (const run of loaded) this.runs.set(run.id, new CurveRunData(run));
    } catch {
      // Shown in the status line by request().
    } finally {
      ids.forEach((id) => this.loading.delete(id));
      this.element?.setAttribute('aria-busy', String(this.loading.size > 0));
    }
    this.refresh();
  }

  /** Legend, table checkboxes and charts. */
  private refresh(): void {
    this.renderLegend();
    this.table.render();
    this.refreshCharts();
  }

  private refreshCharts(): void {
    for (const chart of this.charts) {
      chart.element.hidden = !chart.hasData();
      if (!chart.element.hidden) chart.invalidate();
    }
    this.element?.setAttribute('data-loaded', String(this.runs.size));
  }

  private renderLegend(): void {
    const hidden = new Set(this.state.current.hidden);
    const charted = this.selected().filter((id) => this.rows.some((r) => r.id === id));
    this.legend.replaceChildren(
      ...(charted.length === 0 ? [el('span', { class: 'curves-empty', text: 'No run charted: tick runs in the table below.' })] : []),
      ...charted.map((id) => {
        const row = this.rows.find((r) => r.id === id)!;
        const swatch = el('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
        swatch.style.background = this.colour(id);
        const button = el('button', { class: 'legend-item', attrs: { type: 'button', 'aria-pressed': String(!hidden.has(id)), title: `Hide or show ${row.name}` }, data: { testid: 'legend-item', runId: id } }, swatch, row.name);
        this.disposables.listen(button, 'click', () => {
          const now = new Set(this.state.current.hidden);
          if (now.has(id)) now.delete(id);
          else now.add(id);
          this.state.update({ hidden: [...now] });
          this.refresh();
        });
        return button;
      }),
    );
  }

  private toolbar(): HTMLElement {
    const current = this.state.current;
    const axis = el('select', { attrs: { 'aria-label': 'X axis' }, data: { testid: 'x-axis' } });
    for (const [value, text] of [['epoch', 'Epoch'], ['step', 'Step'], ['time', 'Wall time']] as const) axis.append(el('option', { text, attrs: { value } }));
    axis.value = current.x;
    this.disposables.listen(axis, 'change', () => {
      this.state.update({ x: axis.value as XAxis, zoom: null });
      this.refreshCharts();
    });
    const scale = el('select', { attrs: { 'aria-label': 'Y scale' }, data: { testid: 'y-scale' } });
    for (const [value, text] of [['linear', 'Linear'], ['log', 'Log']] as const) scale.append(el('option', { text, attrs: { value } }));
    scale.value = current.log ? 'log' : 'linear';
    this.disposables.listen(scale, 'change', () => {
      this.state.update({ log: scale.value === 'log' });
      this.refreshCharts();
    });
    const smoothing = el('input', { attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', 'aria-label': 'Smoothing (exponential moving average weight)' }, data: { testid: 'smoothing' } });
    smoothing.value = String(current.smoothing);
    const smoothingValue = el('output', { text: current.smoothing.toFixed(2), data: { testid: 'smoothing-value' } });
    this.disposables.listen(smoothing, 'input', () => {
      const weight = Math.min(0.99, Math.max(0, Number(smoothing.value)));
      smoothingValue.textContent = weight.toFixed(2);
      this.state.update({ smoothing: weight });
      this.refreshCharts();
    });
    const reset = el('button', { text: 'Reset zoom', attrs: { type: 'button' }, data: { testid: 'reset-zoom' } });
    this.disposables.listen(reset, 'click', () => this.setZoom(null));
    const csv = (['epoch', 'step'] as const).map((per) => {
      const button = el('button', { text: `CSV per ${per}`, attrs: { type: 'button', 'aria-label': `Save the charted runs' data as CSV, one row per ${per} per run` }, data: { testid: `export-csv-${per}` } });
      this.disposables.listen(button, 'click', () => void this.save('csv', `training-curves-per-${per}`, runsCsv(this.chartedRuns(), per)));
      return button;
    });
    return el(
      'div',
      { class: 'curves-toolbar', attrs: { role: 'toolbar', 'aria-label': 'Chart options' } },
      el('label', { class: 'field' }, 'X ', axis),
      el('label', { class: 'field' }, 'Y ', scale),
      el('label', { class: 'field' }, 'Smoothing ', smoothing, smoothingValue),
      reset,
      ...csv,
    );
  }

  private chartedRuns(): CurveRunData[] {
    return this.visibleRuns().map(({ run }) => run);
  }

  private async saveChart(chart: CurveChart, format: 'png' | 'svg'): Promise<void> {
    chart.drawNow();
    const scene = chart.currentScene;
    if (!scene) return;
    const legend = this.visibleRuns().map(({ run, colour }) => ({ name: run.row.name, colour }));
    const title = `${chart.metric.title} by ${this.state.current.x}${this.state.current.smoothing > 0 ? `, smoothing ${this.state.current.smoothing}` : ''}`;
    const colours = chartColours();
    const data = format === 'png' ? chartPng(chart.canvas, scene, title, legend, colours) : chartSvg(scene, title, legend, colours);
    await this.save(format, `training-curves-${chart.metric.key}`, data);
  }

  private async save(format: 'png' | 'svg' | 'csv', name: string, data: string): Promise<void> {
    try {
      const { saved } = await this.request('curves/save', { format, name: exportName(name), data });
      if (saved) this.status.show('info', `Saved the ${format.toUpperCase()}.`);
    } catch {
      // Shown by request().
    }
  }

  private openCheckpoint(run: CurveRunData, epoch: number): void {
    this.request('curves/openCheckpoint', { run: run.id, epoch: Math.max(0, Math.round(epoch)) }).then(
      (opened) => this.status.show('info', opened.epoch === epoch ? `Opened ${run.row.name}, epoch ${epoch}, in the explorer.` : `Epoch ${epoch} of ${run.row.name} has no checkpoint: opened the nearest, epoch ${opened.epoch}.`),
      () => undefined,
    );
  }

  private async request<M extends keyof CurvesRequests & string>(method: M, params: CurvesRequests[M]['params']): Promise<CurvesRequests[M]['result']> {
    try {
      return await this.channel.request(method, params, { timeoutMs: CURVES_TIMEOUTS[method] + PAGE_GRACE_MS });
    } catch (error) {
      if (!EngineError.is(error, 'cancelled')) this.status.show('error', `${method.replace('curves/', '')} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  }
}

/** The chart colours from the editor's theme (--vscode-* variables), read when drawing. */
function chartColours(): ReturnType<ChartHost['colours']> {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const theme = currentTheme();
  const highContrast = theme === 'high-contrast' || theme === 'high-contrast-light';
  const dark = theme === 'dark' || theme === 'high-contrast';
  return {
    foreground: read('--vscode-editor-foreground', dark ? '#cccccc' : '#333333'),
    muted: read('--vscode-descriptionForeground', dark ? '#9d9d9d' : '#717171'),
    grid: highContrast ? read('--vscode-contrastBorder', '#6fc3df') : dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.08)',
    background: read('--vscode-editor-background', dark ? '#1f1f1f' : '#ffffff'),
    highContrast,
  };
}
