// The page's actions: what the controls do to the state, the layers and
// the panels.

import L from './leaflet_global.js';
import { figureByKey } from './figures.js';
import { showGrid } from './panel_grid.js';
import { renderHeader, renderLegend } from './ui.js';
import { download } from './download.js';

/** loadUnits fetches the townships and villages (for the filters and names). */
export async function loadUnits(ctx) {
  const get = (id) => ctx.client.cached(`/collections/${id}/items`, { limit: 10000 }).then((fc) => fc.features || [], () => []);
  const [townships, villages, landing] = await Promise.all([get('townships'), get('villages'), ctx.client.get('/', { f: 'json' }).catch(() => ({}))]);
  ctx.units = { townships, villages };
  ctx.synthetic = landing.synthetic === true;
}

/** unitBounds returns the bounds of the filtered unit, or of the district. */
function unitBounds(ctx) {
  const st = ctx.st;
  let f = null;
  if (st.village) f = ctx.units.villages.find((x) => x.properties.id === st.village);
  else if (st.township) f = ctx.units.townships.find((x) => x.properties.id === st.township);
  if (f) return L.geoJSON(f).getBounds();
  const base = ctx.figures.peek('base', st).fc;
  return base && base.features.length ? L.geoJSON(base).getBounds() : null;
}

/** createActions returns the handlers of the controls. */
export function createActions(ctx, { header, legend, changed }) {
  const { map, manager, client, i18n, st } = ctx;
  const redrawGrids = () => {
    const e = manager.entry('grids');
    if (e.visible && e.data) manager.draw(e);
  };
  const ensureFigure = async () => {
    const fig = figureByKey(st.figure);
    ctx.figureStatus = 'loading';
    changed();
    const entry = await ctx.figures.load(fig.source, st);
    if (figureByKey(st.figure) !== fig) return;
    ctx.figureStatus = entry.status;
    redrawGrids();
    changed();
  };
  const reopenPanel = () => {
    const p = ctx.panelState;
    if (!p) return;
    const latlng = L.latLng(p.latlng[0], p.latlng[1]);
    if (p.kind === 'point') return ctx.showPoint(latlng);
    const f = (ctx.figures.peek('base', st).fc || { features: [] }).features.find((x) => String(x.properties.id) === p.id);
    if (f) showGrid(ctx, f, latlng);
  };
  const fit = () => {
    const b = unitBounds(ctx);
    if (b && b.isValid()) map.fitBounds(b, { padding: [10, 10], animate: false });
  };
  const handlers = {
    toggle: (id, on) => manager.setVisible(id, on),
    figure: (key) => {
      st.figure = key;
      ensureFigure();
    },
    township: (v) => {
      st.township = v;
      st.village = '';
      renderHeader(ctx, header, handlers);
      manager.refresh();
      fit();
    },
    village: (v) => {
      st.village = v;
      if (v) st.township = ctx.townshipOfVillage(v) || st.township;
      renderHeader(ctx, header, handlers);
      manager.refresh();
      fit();
    },
    variant: (v) => {
      st.variant = v;
      manager.refresh();
      ensureFigure();
      reopenPanel();
    },
    token: async (v) => {
      client.token = v;
      client.forget();
      ctx.figures.clear();
      await loadUnits(ctx);
      renderHeader(ctx, header, handlers);
      manager.reloadAll();
      ensureFigure();
      reopenPanel();
    },
    lang: () => {
      i18n.toggle();
      document.documentElement.lang = i18n.lang === 'zh' ? 'zh-CN' : 'en';
      document.title = i18n.t('title');
      renderHeader(ctx, header, handlers);
      renderLegend(ctx, legend, handlers);
      map.invalidateSize({ pan: false });
      reopenPanel();
    },
    download: (id) => download(ctx, id),
    ensureFigure,
    fit,
  };
  return handlers;
}
