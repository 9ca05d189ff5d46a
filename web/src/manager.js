// LayerManager loads, filters and draws the overlays, keeps each one's
// status (off, loading, loaded, forbidden, unavailable, error) and feature
// count for the legend and the tests, and refetches the bounding-box layers
// as the view moves.

import L from './leaflet_global.js';
import { errorKind } from './api.js';

/** padBounds grows the view by a share on every side, clamped to the globe. */
function padBounds(b, share) {
  const dLat = (b.getNorth() - b.getSouth()) * share;
  const dLon = (b.getEast() - b.getWest()) * share;
  return L.latLngBounds(
    [Math.max(-90, b.getSouth() - dLat), Math.max(-180, b.getWest() - dLon)],
    [Math.min(90, b.getNorth() + dLat), Math.min(180, b.getEast() + dLon)],
  );
}

function bboxParam(b) {
  return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
}

/** unitOf returns the village and township of a feature, or null. */
function unitOf(def, p, ctx) {
  switch (def.filter) {
    case 'township':
      return { township: p.id };
    case 'village':
      return { village: p.id, township: p.township };
    case 'props':
      if (p.village !== undefined || p.township !== undefined) return { village: p.village, township: p.township };
      return p.grid ? ctx.gridUnit(p.grid) : null;
    case 'grid':
      return p.grid ? ctx.gridUnit(p.grid) : null;
    default:
      return null;
  }
}

/** passes reports whether a feature is inside the township/village filter. */
export function passes(def, feature, ctx) {
  const st = ctx.st;
  const p = feature.properties || {};
  if (def.hide && def.hide(st, p)) return false;
  if (!st.township && !st.village) return true;
  if (def.filter === 'grids') {
    const gs = Array.isArray(p.grids) ? p.grids : [];
    return gs.some((g) => {
      const u = ctx.gridUnit(g);
      return u && (st.village ? u.village === st.village : u.township === st.township);
    });
  }
  const u = unitOf(def, p, ctx);
  if (!u) return true;
  if (st.village) {
    if (def.filter === 'township') return u.township === ctx.townshipOfVillage(st.village);
    return u.village === st.village;
  }
  return u.township === st.township;
}

export class LayerManager {
  constructor(ctx, defs, onChange) {
    this.ctx = ctx;
    this.onChange = onChange;
    this.order = defs.map((d) => d.id);
    this.entries = new Map(
      defs.map((d) => [d.id, { def: d, visible: false, status: 'off', count: 0, data: null, shown: null, layer: null, ctrl: null, key: '', bounds: null }]),
    );
    let timer = null;
    this.moving = false;
    ctx.map.on('moveend', () => {
      clearTimeout(timer);
      this.moving = true;
      timer = setTimeout(() => {
        this.moving = false;
        this.onMoveEnd();
      }, 200);
    });
  }

  entry(id) {
    return this.entries.get(id);
  }

  /** setVisible shows or hides a layer, loading it when needed. */
  setVisible(id, on) {
    const e = this.entry(id);
    if (!e || e.visible === on) return;
    e.visible = on;
    if (!on) {
      if (e.ctrl) e.ctrl.abort();
      if (e.layer) this.ctx.map.removeLayer(e.layer);
      e.status = 'off';
      this.changed();
      return;
    }
    this.sync(e, true);
  }

  /**
   * sync brings a visible layer up to date with the view and the state:
   * parked below its minimum zoom, fetched when its request changed or the
   * view left its bounding box, redrawn when redraw is set (the filters
   * changed) or it was parked.
   */
  sync(e, redraw) {
    if (!e.visible) return;
    if (this.tooFar(e)) {
      this.park(e);
      return;
    }
    const key = this.keyOf(e);
    if (e.ctrl && e.pendingKey === key && !this.needsBBox(e)) return;
    if (!e.data || e.key !== key || this.needsBBox(e)) {
      this.load(e.def.id);
    } else if (redraw || e.status !== 'loaded') {
      this.draw(e);
    }
  }

  /** tooFar reports whether the view is below the layer's minimum zoom. */
  tooFar(e) {
    return !!e.def.minZoom && this.ctx.map.getZoom() < e.def.minZoom;
  }

  /** park hides a layer that waits for the view to zoom in. */
  park(e) {
    if (e.ctrl) e.ctrl.abort();
    e.ctrl = null;
    if (e.layer) this.ctx.map.removeLayer(e.layer);
    e.layer = null;
    e.shown = null;
    e.count = 0;
    e.status = 'zoom';
    this.changed();
  }

  keyOf(e) {
    return e.def.path + JSON.stringify(e.def.params(this.ctx.st));
  }

  needsBBox(e) {
    const b = e.ctrl ? e.pending : e.bounds;
    return e.def.bbox && !(b && b.contains(this.ctx.map.getBounds()));
  }

  /** load fetches a layer's GeoJSON for the current state and draws it. */
  async load(id) {
    const e = this.entry(id);
    if (e.ctrl) e.ctrl.abort();
    const ctrl = new AbortController();
    e.ctrl = ctrl;
    e.status = 'loading';
    this.changed();
    const params = { ...e.def.params(this.ctx.st) };
    let bounds = null;
    if (e.def.bbox) {
      bounds = padBounds(this.ctx.map.getBounds(), 0.25);
      params.bbox = bboxParam(bounds);
    }
    e.pending = bounds;
    e.pendingKey = this.keyOf(e);
    const key = this.keyOf(e);
    try {
      const client = this.ctx.client;
      let fc;
      if (e.def.fetch) fc = await e.def.fetch(this.ctx, ctrl.signal);
      else if (e.def.shared) fc = await client.cached(e.def.path, params);
      else fc = await client.features(e.def.path, params, ctrl.signal);
      if (ctrl.signal.aborted) return;
      e.data = fc;
      e.key = key;
      e.bounds = bounds;
      e.error = '';
      if (e.visible && this.tooFar(e)) this.park(e);
      else if (e.visible) this.draw(e);
    } catch (err) {
      const kind = errorKind(err);
      if (kind === 'aborted') return;
      e.status = kind;
      e.error = err.message;
      e.count = 0;
      if (e.layer) this.ctx.map.removeLayer(e.layer);
      e.layer = null;
      this.changed();
    } finally {
      if (e.ctrl === ctrl) e.ctrl = null;
    }
  }

  /** draw filters the loaded features and (re)draws the layer. */
  draw(e) {
    if (e.layer) this.ctx.map.removeLayer(e.layer);
    const features = (e.data.features || []).filter((f) => passes(e.def, f, this.ctx));
    e.shown = { type: 'FeatureCollection', features };
    e.layer = e.def.render(this.ctx, e.shown);
    e.count = e.def.count ? e.def.count(e.layer) : e.layer.getLayers().length;
    e.status = 'loaded';
    if (e.visible) {
      e.layer.addTo(this.ctx.map);
      this.reorder();
    }
    this.changed();
  }

  /** reorder restores the drawing order after a layer was (re)drawn. */
  reorder() {
    for (const id of this.order) {
      const e = this.entry(id);
      if (e.visible && e.layer && e.layer.bringToFront && !e.def.heat) e.layer.bringToFront();
    }
    if (this.ctx.afterReorder) this.ctx.afterReorder();
  }

  /** refresh reloads layers whose request changed and redraws the others. */
  refresh() {
    for (const e of this.entries.values()) this.sync(e, true);
  }

  /** reloadAll refetches every visible layer (e.g. after the token changed). */
  reloadAll() {
    for (const e of this.entries.values()) {
      if (e.ctrl) e.ctrl.abort();
      e.ctrl = null;
      e.data = null;
      this.sync(e, true);
    }
  }

  onMoveEnd() {
    for (const e of this.entries.values()) this.sync(e, false);
  }

  changed() {
    if (this.onChange) this.onChange();
  }

  /** snapshot returns each layer's visibility, status and count. */
  snapshot() {
    const out = {};
    for (const [id, e] of this.entries) {
      out[id] = { visible: e.visible, status: e.status, count: e.count, bbox: e.bounds ? bboxParam(e.bounds) : '' };
    }
    return out;
  }

  /** ready reports whether no visible layer is still loading. */
  ready() {
    if (this.moving) return false;
    for (const e of this.entries.values()) {
      if (e.visible && (e.status === 'loading' || e.status === 'off')) return false;
    }
    return true;
  }
}
