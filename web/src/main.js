// The gridwatch map page: wires the map, the layers, the controls and the
// panels together, and exposes window.gridwatchMap for tests.

import L from './leaflet_global.js';
import 'leaflet/dist/leaflet.css';
import './style.css';
import { Client } from './api.js';
import { I18n, initialLang } from './i18n.js';
import { figures } from './figures.js';
import { FigureStore, gridsDef } from './grids.js';
import { layerDefs } from './layers.js';
import { LayerManager } from './manager.js';
import { showGrid } from './panel_grid.js';
import { showPoint } from './panel_point.js';
import { legendOrder, renderHeader, renderLegend, updateLegend } from './ui.js';
import { layerCollection } from './download.js';
import { createActions, loadUnits } from './actions.js';

const defaultLayers = ['grids', 'townships', 'villages', 'gaps'];

function meta(name) {
  const el = document.querySelector(`meta[name="${name}"]`);
  return el ? el.getAttribute('content') || '' : '';
}

function initialState(q) {
  const variant = q.get('variant') === 'operational' ? 'operational' : 'installed';
  const fig = q.get('figure');
  return {
    variant,
    figure: figures.some((f) => f.key === fig) ? fig : 'coverage_population',
    township: q.get('township') || '',
    village: q.get('village') || '',
  };
}

function initialLayers(q) {
  const v = q.get('layers');
  if (!v) return defaultLayers;
  if (v === 'all') return legendOrder;
  return v.split(',').filter((id) => legendOrder.includes(id));
}

function createMap(basemap, attribution) {
  const map = L.map('gw-map', { preferCanvas: true, zoomSnap: 0.5, attributionControl: true });
  map.attributionControl.setPrefix('');
  map.createPane('gwHeat');
  map.getPane('gwHeat').style.zIndex = 450;
  map.getPane('gwHeat').style.pointerEvents = 'none';
  map.getPane('gwHeat').style.opacity = '0.7';
  if (basemap) L.tileLayer(basemap, { maxZoom: 19, attribution }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  map.setView([37.4, 106.1], 9);
  return map;
}

/** context builds the object every module of the page shares. */
function context(map, client, i18n, st) {
  const figuresStore = new FigureStore(client);
  const ctx = {
    map,
    client,
    i18n,
    st,
    renderer: L.canvas({ padding: 0.3, tolerance: 4 }),
    figures: figuresStore,
    units: { townships: [], villages: [] },
    synthetic: false,
    figureStatus: 'off',
    panelState: null,
    selection: null,
    dispatch: null,
  };
  const baseRow = (id) => figuresStore.peek('base', st).byId.get(String(id));
  const unitName = (list, id) => {
    const f = list.find((x) => String(x.properties.id) === String(id));
    return f ? f.properties.name || id : id || '—';
  };
  ctx.gridUnit = (id) => {
    const p = baseRow(id);
    return p ? { village: p.village, township: p.township } : null;
  };
  ctx.gridName = (id) => (baseRow(id) || {}).name || id;
  ctx.villageName = (id) => unitName(ctx.units.villages, id);
  ctx.townshipName = (id) => unitName(ctx.units.townships, id);
  ctx.townshipOfVillage = (id) => {
    const f = ctx.units.villages.find((x) => String(x.properties.id) === String(id));
    return f ? f.properties.township : '';
  };
  ctx.setSelection = (layer) => {
    if (ctx.selection) map.removeLayer(ctx.selection);
    ctx.selection = layer;
    if (layer) layer.addTo(map);
  };
  ctx.setDispatch = (layer) => {
    if (ctx.dispatch) map.removeLayer(ctx.dispatch);
    ctx.dispatch = layer;
    if (layer) layer.addTo(map);
  };
  ctx.clearDispatch = () => ctx.setDispatch(null);
  ctx.afterReorder = () => {
    if (ctx.selection) ctx.selection.bringToFront();
    if (ctx.dispatch) ctx.dispatch.eachLayer((l) => l.bringToFront && l.bringToFront());
  };
  return ctx;
}

function panelControls(ctx) {
  const panel = document.getElementById('gw-panel');
  const body = panel.querySelector('.gw-panel-body');
  ctx.openPanel = (html, actions = {}) => {
    body.innerHTML = html;
    if (panel.hidden) {
      panel.hidden = false;
      ctx.map.invalidateSize({ pan: false });
    }
    for (const b of body.querySelectorAll('[data-action]')) {
      const act = actions[b.dataset.action];
      if (act) b.addEventListener('click', act);
    }
  };
  ctx.closePanel = () => {
    panel.hidden = true;
    body.innerHTML = '';
    ctx.map.invalidateSize({ pan: false });
    ctx.panelToken = {};
    ctx.panelState = null;
    ctx.setSelection(null);
    ctx.clearDispatch();
  };
  panel.querySelector('.gw-close').addEventListener('click', ctx.closePanel);
}

/** testHooks is window.gridwatchMap: the page's state for tests and tools. */
function testHooks(ctx, handlers) {
  const { map, manager } = ctx;
  return {
    map,
    ctx,
    layers: () => manager.snapshot(),
    ready: () => manager.ready() && ctx.figureStatus !== 'loading' && !(ctx.panelState && ctx.panelState.loading),
    show: (ids) => {
      for (const id of legendOrder) manager.setVisible(id, ids === 'all' || ids.includes(id));
    },
    panel: () => ctx.panelState,
    fit: handlers.fit,
    geojson: (id) => layerCollection(ctx, id),
    setFigure: handlers.figure,
    setVariant: handlers.variant,
    setTownship: handlers.township,
    setVillage: handlers.village,
    pixel: (lat, lon) => {
      const p = map.latLngToContainerPoint([lat, lon]);
      const r = map.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    },
  };
}

async function main() {
  const q = new URLSearchParams(location.search);
  const client = new Client(meta('gridwatch-root') || location.origin);
  const i18n = new I18n(initialLang());
  const st = initialState(q);
  const map = createMap(meta('gridwatch-basemap'), meta('gridwatch-basemap-attribution'));
  const ctx = context(map, client, i18n, st);
  const header = document.getElementById('gw-header');
  const legend = document.getElementById('gw-legend');
  let pending = false;
  const changed = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      updateLegend(ctx, legend);
    });
  };
  const manager = new LayerManager(ctx, [gridsDef(), ...layerDefs()], changed);
  ctx.manager = manager;
  ctx.onGridClick = (f, latlng) => showGrid(ctx, f, latlng);
  ctx.showPoint = (latlng) => showPoint(ctx, latlng);
  panelControls(ctx);
  map.on('click contextmenu', (e) => ctx.showPoint(e.latlng));

  const handlers = createActions(ctx, { header, legend, changed });
  const { fit } = handlers;

  document.documentElement.lang = i18n.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = i18n.t('title');
  await loadUnits(ctx);
  renderHeader(ctx, header, handlers);
  renderLegend(ctx, legend, handlers);
  map.invalidateSize({ pan: false });
  await ctx.figures.load('base', st);
  const view = (q.get('view') || '').split(',').map(Number);
  if (view.length === 3 && view.every(Number.isFinite)) map.setView([view[0], view[1]], view[2], { animate: false });
  else fit();
  for (const id of initialLayers(q)) manager.setVisible(id, true);
  handlers.ensureFigure();

  window.gridwatchMap = testHooks(ctx, handlers);
  document.body.dataset.ready = 'true';
}

main();
