// The grid figures the choropleth can show, where each comes from, and
// their colour scales.

/**
 * Sources of grid figures: each is an API path answering one polygon per
 * grid, keyed by the grid's id. "base" is the grids collection itself, which
 * every role may read.
 */
export const sources = {
  base: { path: '/collections/grids/items', params: () => ({ limit: 10000 }) },
  coverage: { path: '/coverage/grids', params: (st) => ({ variant: st.variant }) },
  load: { path: '/load/grids', params: () => ({}) },
  response: { path: '/response/grids', params: () => ({}) },
};

/**
 * Figures of the selector. sense says which end is good: "good" (high is
 * good: green), "bad" (high is bad: red) or "neutral" (blue). fmt is how the
 * panel and legend print a value.
 */
export const figures = [
  { key: 'population', source: 'base', label: 'population_fig', fmt: 'num', sense: 'neutral', group: 'groupBase' },
  { key: 'coverage_area', source: 'coverage', label: 'coverage_area', fmt: 'pct', sense: 'good', share: true, group: 'groupCoverage' },
  { key: 'coverage_settlement_area', source: 'coverage', label: 'coverage_settlement_area', fmt: 'pct', sense: 'good', share: true, group: 'groupCoverage' },
  { key: 'coverage_population', source: 'coverage', label: 'coverage_population', fmt: 'pct', sense: 'good', share: true, group: 'groupCoverage' },
  { key: 'coverage_incidents', source: 'coverage', label: 'coverage_incidents', fmt: 'pct', sense: 'good', share: true, group: 'groupCoverage' },
  { key: 'coverage_places', source: 'coverage', label: 'coverage_places', fmt: 'pct', sense: 'good', share: true, group: 'groupCoverage' },
  { key: 'online_rate', source: 'coverage', label: 'online_rate', fmt: 'pct', sense: 'good', share: true, group: 'groupCoverage' },
  { key: 'cameras', source: 'coverage', label: 'cameras_count', fmt: 'num', sense: 'good', group: 'groupCoverage' },
  { key: 'load_index', source: 'load', label: 'load_index', fmt: 'num2', sense: 'bad', group: 'groupLoad' },
  { key: 'residents_per_police', source: 'load', label: 'residents_per_police', fmt: 'num', sense: 'bad', group: 'groupLoad' },
  { key: 'households_per_police', source: 'load', label: 'households_per_police', fmt: 'num', sense: 'bad', group: 'groupLoad' },
  { key: 'incidents_per_police', source: 'load', label: 'incidents_per_police', fmt: 'num1', sense: 'bad', group: 'groupLoad' },
  { key: 'area_km2_per_police', source: 'load', label: 'area_km2_per_police', fmt: 'num2', sense: 'bad', group: 'groupLoad' },
  { key: 'police_assigned', source: 'load', label: 'police_assigned', fmt: 'num', sense: 'good', group: 'groupLoad' },
  { key: 'auxiliaries_assigned', source: 'load', label: 'auxiliaries_assigned', fmt: 'num', sense: 'good', group: 'groupLoad' },
  { key: 'incidents', source: 'load', label: 'incidents_window', fmt: 'num', sense: 'bad', group: 'groupLoad' },
  { key: 'incidents_30d', source: 'load', label: 'incidents_30d', fmt: 'num', sense: 'bad', group: 'groupLoad' },
  { key: 'worst_s', source: 'response', label: 'eta_worst', fmt: 'min', sense: 'bad', group: 'groupResponse' },
  { key: 'mean_s', source: 'response', label: 'eta_mean', fmt: 'min', sense: 'bad', group: 'groupResponse' },
  { key: 'population_beyond', source: 'response', label: 'population_beyond', fmt: 'num', sense: 'bad', group: 'groupResponse' },
];

/** figureByKey returns the figure with the key, or the first one. */
export function figureByKey(key) {
  return figures.find((f) => f.key === key) || figures[0];
}

const ramps = {
  good: ['#d7191c', '#fdae61', '#ffffbf', '#a6d96a', '#1a9641'],
  bad: ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'],
  neutral: ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'],
};

/** noDataColour fills a grid without a value. */
export const noDataColour = '#c8c8c8';

/**
 * numeric returns a value to classify: numbers as they are, a suppressed
 * small count such as "<3" as half its bound, anything else null.
 */
export function numeric(v) {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const m = /^<\s*(\d+(?:\.\d+)?)$/.exec(v.trim());
    if (m) return Number(m[1]) / 2;
  }
  return null;
}

/**
 * Scale classifies values into five colours: equal steps over [0, 1] for
 * shares, quantiles over the values otherwise.
 */
export class Scale {
  constructor(figure, values) {
    this.figure = figure;
    this.colours = ramps[figure.sense] || ramps.neutral;
    const xs = values.map(numeric).filter((v) => v !== null).sort((a, b) => a - b);
    if (figure.share) {
      this.breaks = [0, 0.2, 0.4, 0.6, 0.8, 1];
    } else if (xs.length === 0) {
      this.breaks = [];
    } else {
      const br = [xs[0]];
      for (let i = 1; i < 5; i++) br.push(xs[Math.min(xs.length - 1, Math.floor((i * xs.length) / 5))]);
      br.push(xs[xs.length - 1]);
      this.breaks = br.filter((b, i) => i === 0 || b > br[i - 1]);
      if (this.breaks.length === 1) this.breaks.push(this.breaks[0]);
    }
  }

  /** classes returns [lower, upper, colour] for each class. */
  classes() {
    const n = this.breaks.length - 1;
    const out = [];
    for (let i = 0; i < n; i++) {
      const c = this.colours[n <= 1 ? 4 : Math.round((i * 4) / (n - 1))];
      out.push([this.breaks[i], this.breaks[i + 1], c]);
    }
    return out;
  }

  colour(v) {
    const x = numeric(v);
    if (x === null) return noDataColour;
    const cls = this.classes();
    if (cls.length === 0) return noDataColour;
    for (const [, hi, c] of cls) {
      if (x <= hi) return c;
    }
    return cls[cls.length - 1][2];
  }
}

/** format prints a figure's value. */
export function format(i18n, fmt, v) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  switch (fmt) {
    case 'pct':
      return i18n.pct(v);
    case 'num1':
      return i18n.num(v, 1);
    case 'num2':
      return i18n.num(v, 2);
    case 'min':
      return i18n.num(v / 60, 1);
    default:
      return i18n.num(v, 0);
  }
}
