// The grids choropleth: grid outlines from the grids collection, filled by
// a figure from one of the per-grid analysis endpoints.

import L from './leaflet_global.js';
import { errorKind } from './api.js';
import { Scale, figureByKey, format, noDataColour, sources } from './figures.js';
import { colours, escapeHTML } from './styles.js';

/**
 * FigureStore fetches and caches the per-grid answers of each source (by
 * source and request), indexed by grid id.
 */
export class FigureStore {
  constructor(client) {
    this.client = client;
    this.cache = new Map();
  }

  keyOf(source, st) {
    const s = sources[source];
    return s.path + JSON.stringify(s.params(st));
  }

  /** peek returns {status, byId, fc, error} of a source for the state. */
  peek(source, st) {
    return this.cache.get(this.keyOf(source, st)) || { status: 'off', byId: new Map(), fc: null };
  }

  /** load fetches a source (once per request) and resolves to its entry. */
  load(source, st) {
    const key = this.keyOf(source, st);
    const have = this.cache.get(key);
    if (have && (have.status === 'loaded' || have.promise)) return have.promise || Promise.resolve(have);
    const s = sources[source];
    const entry = { status: 'loading', byId: new Map(), fc: null };
    entry.promise = this.client
      .features(s.path, s.params(st))
      .then((fc) => {
        entry.fc = fc;
        for (const f of fc.features || []) {
          const p = f.properties || {};
          entry.byId.set(String(p.id !== undefined ? p.id : f.id), p);
        }
        entry.status = 'loaded';
        return entry;
      })
      .catch((err) => {
        entry.status = errorKind(err);
        entry.error = err;
        return entry;
      })
      .finally(() => {
        delete entry.promise;
      });
    this.cache.set(key, entry);
    return entry.promise;
  }

  clear() {
    this.cache.clear();
  }
}

/** figureValue returns a grid's value of the selected figure. */
export function figureValue(ctx, feature) {
  const fig = figureByKey(ctx.st.figure);
  const p = feature.properties || {};
  if (fig.source === 'base') return p[fig.key];
  const row = ctx.figures.peek(fig.source, ctx.st).byId.get(String(p.id !== undefined ? p.id : feature.id));
  return row ? row[fig.key] : null;
}

/** gridsDef is the layer definition of the grids choropleth. */
export function gridsDef() {
  return {
    id: 'grids',
    path: sources.base.path,
    params: () => ({ limit: 10000 }),
    filter: 'props',
    fetch: async (ctx) => {
      const e = await ctx.figures.load('base', ctx.st);
      if (e.status !== 'loaded') throw e.error;
      return e.fc;
    },
    render: (ctx, fc) => {
      const fig = figureByKey(ctx.st.figure);
      const scale = new Scale(fig, fc.features.map((f) => figureValue(ctx, f)));
      ctx.gridScale = scale;
      return L.geoJSON(fc, {
        renderer: ctx.renderer,
        style: (f) => ({
          color: '#ffffff',
          weight: 0.7,
          opacity: 0.9,
          fillColor: scale.colour(figureValue(ctx, f)),
          fillOpacity: 0.68,
        }),
        onEachFeature: (f, layer) => {
          layer.on('click', (e) => {
            L.DomEvent.stopPropagation(e);
            ctx.onGridClick(f, e.latlng);
          });
        },
      });
    },
    legend: (ctx) => gridLegend(ctx),
  };
}

/** gridLegend draws the colour classes of the selected figure. */
function gridLegend(ctx) {
  const scale = ctx.gridScale;
  if (!scale) return '';
  const fig = scale.figure;
  const rows = scale
    .classes()
    .map(([lo, hi, c]) => `<div class="gw-class"><span class="gw-swatch gw-swatch-area" style="--c:${c}"></span>${escapeHTML(format(ctx.i18n, fig.fmt, lo))} – ${escapeHTML(format(ctx.i18n, fig.fmt, hi))}</div>`)
    .join('');
  return `<div class="gw-classes" data-figure="${escapeHTML(fig.key)}">${rows}<div class="gw-class"><span class="gw-swatch gw-swatch-area" style="--c:${noDataColour}"></span>${escapeHTML(ctx.i18n.t('noData'))}</div></div>`;
}

/** selectionLayer outlines the selected grid. */
export function selectionLayer(ctx, feature) {
  return L.geoJSON(feature, {
    renderer: ctx.renderer,
    interactive: false,
    style: () => ({ color: colours.selected, weight: 4, fill: false, opacity: 1 }),
  });
}
