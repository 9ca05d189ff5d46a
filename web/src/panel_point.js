// The dispatch panel: for a clicked point, the responsible grid, beat and
// officer, and the nearest available responders with distance and arrival
// time, drawn as lines from the point.

import L from './leaflet_global.js';
import { errorKind } from './api.js';
import { featureAt } from './geometry.js';
import { colours, escapeHTML, roleColour } from './styles.js';

const nearestK = 5;

function unitRows(ctx, q) {
  const t = (k) => ctx.i18n.t(k);
  const r = (label, key, text) =>
    `<tr><th>${escapeHTML(label)}</th><td data-figure="${key}" data-value="${escapeHTML(JSON.stringify(q[key] === undefined ? null : q[key]))}">${escapeHTML(text)}</td></tr>`;
  return [
    r(t('grid'), 'grid', q.grid ? `${ctx.gridName(q.grid)} (${q.grid})` : '—'),
    r(t('village'), 'village', q.village ? ctx.villageName(q.village) : '—'),
    r(t('township'), 'township', q.township ? ctx.townshipName(q.township) : '—'),
    r(t('beat'), 'beat', q.beat || '—'),
    r(t('station'), 'station', q.station || '—'),
  ].join('');
}

function staffRows(ctx, staff) {
  const t = (k) => ctx.i18n.t(k);
  const police = staff.filter((p) => p.role === 'police');
  const name = (p) => (p.role && p.role !== 'police' ? `${p.name || p.id} (${t(p.role)})` : p.name || p.id);
  const ids = (list) => escapeHTML(JSON.stringify(list.map((p) => p.id)));
  return (
    `<tr><th>${escapeHTML(t('officer'))}</th><td data-figure="officer" data-value="${ids(police)}">${escapeHTML(police.map(name).join('、') || t('none'))}</td></tr>` +
    `<tr><th>${escapeHTML(t('gridStaff'))}</th><td data-figure="assigned" data-value="${ids(staff)}">${escapeHTML(staff.map(name).join('、') || t('none'))}</td></tr>`
  );
}

function nearestTable(ctx, rs) {
  const t = (k) => ctx.i18n.t(k);
  const rows = rs
    .map((f) => {
      const p = f.properties || {};
      return `<tr data-responder="${escapeHTML(p.id !== undefined ? p.id : f.id)}" data-distance="${p.distance_m}" data-eta="${p.eta_s}"><td>${escapeHTML(p.rank)}</td><td><span class="gw-dot" style="--c:${roleColour(p.role)}"></span>${escapeHTML(p.name || p.id)}</td><td>${escapeHTML(t(p.role))}</td><td>${escapeHTML(ctx.i18n.metres(p.distance_m))}</td><td>${escapeHTML(ctx.i18n.minutes(p.eta_s))}</td></tr>`;
    })
    .join('');
  return `<table class="gw-nearest"><tr><th>${escapeHTML(t('rank'))}</th><th>${escapeHTML(t('name'))}</th><th>${escapeHTML(t('role'))}</th><th>${escapeHTML(t('distance'))}</th><th>${escapeHTML(t('eta'))}</th></tr>${rows}</table>`;
}

/** officersOf looks up the responders assigned to the point's grid. */
async function officersOf(ctx, ids) {
  const loaded = ctx.manager.entry('responders').data;
  const byId = new Map(((loaded && loaded.features) || []).map((f) => [String(f.properties.id), f.properties]));
  const out = [];
  let fetched = 0;
  for (const id of ids) {
    let p = byId.get(String(id));
    if (!p && fetched++ >= 8) p = { id };
    if (!p) {
      try {
        const f = await ctx.client.get('/collections/responders/items/' + encodeURIComponent(id));
        p = f.properties;
      } catch {
        p = { id };
      }
    }
    out.push(p);
  }
  return out.filter((p) => !p.role || p.role === 'police').concat(out.filter((p) => p.role && p.role !== 'police'));
}

/** drawDispatch draws the point and a line to each responder. */
function drawDispatch(ctx, latlng, rs) {
  const group = L.layerGroup();
  for (const f of rs) {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties || {};
    L.polyline([latlng, [lat, lon]], { renderer: ctx.renderer, interactive: false, color: roleColour(p.role), weight: 2.5, dashArray: '6 4', opacity: 0.9 }).addTo(group);
    L.circleMarker([lat, lon], { renderer: ctx.renderer, radius: 6, weight: 2, color: '#ffffff', fillColor: roleColour(p.role), fillOpacity: 1 })
      .bindTooltip(`${p.rank}. ${escapeHTML(p.name || p.id)} · ${ctx.i18n.metres(p.distance_m)} · ${ctx.i18n.minutes(p.eta_s)}`)
      .addTo(group);
  }
  L.circleMarker(latlng, { renderer: ctx.renderer, interactive: false, radius: 7, weight: 3, color: colours.dispatch, fillColor: '#ffffff', fillOpacity: 1 }).addTo(group);
  ctx.setDispatch(group);
  return group.getLayers().length;
}

/** localAnswer answers from the loaded grids and beats when the API refuses. */
async function localAnswer(ctx, latlng) {
  const grid = featureAt(ctx.figures.peek('base', ctx.st).fc, latlng.lng, latlng.lat);
  let beats = ctx.manager.entry('beats').data;
  if (!beats) {
    try {
      beats = await ctx.client.cached('/collections/beats/items', { limit: 10000 });
    } catch {
      beats = null;
    }
  }
  const beat = featureAt(beats, latlng.lng, latlng.lat);
  const gp = grid ? grid.properties : {};
  const bp = beat ? beat.properties : {};
  return { grid: gp.id || null, village: gp.village || null, township: gp.township || null, beat: bp.id || null, station: bp.station || null, inside_district: !!grid };
}

/** showPoint opens the dispatch panel of a point. */
export async function showPoint(ctx, latlng) {
  const token = (ctx.panelToken = {});
  const t = (k) => ctx.i18n.t(k);
  ctx.setSelection(null);
  ctx.panelState = { kind: 'point', loading: true, latlng: [latlng.lat, latlng.lng] };
  ctx.openPanel(`<div data-panel="point"><h2>${escapeHTML(t('dispatch'))}</h2><p class="gw-status">${escapeHTML(t('loading'))}</p></div>`);
  const lon = latlng.lng.toFixed(7);
  const lat = latlng.lat.toFixed(7);
  let q;
  let rs = [];
  let status = 'loaded';
  try {
    const fc = await ctx.client.get('/responders/nearest', { lon, lat, k: nearestK });
    const fs = fc.features || [];
    const qf = fs.find((f) => (f.properties || {}).rank === undefined) || { properties: {} };
    q = qf.properties;
    rs = fs.filter((f) => (f.properties || {}).rank !== undefined);
  } catch (err) {
    status = errorKind(err);
    q = await localAnswer(ctx, latlng);
  }
  if (ctx.panelToken !== token) return;
  const officers = await officersOf(ctx, Array.isArray(q.assigned) ? q.assigned : []);
  if (ctx.panelToken !== token) return;
  const lines = drawDispatch(ctx, latlng, rs);
  const outside = q.inside_district === false ? `<p class="gw-warn">${escapeHTML(t('outside'))}</p>` : '';
  const nearest =
    status === 'loaded'
      ? nearestTable(ctx, rs)
      : `<p class="gw-status gw-status-${status}" data-status="${status}">${escapeHTML(t(status))}</p>`;
  ctx.openPanel(
    `<div data-panel="point" data-lon="${lon}" data-lat="${lat}"><h2>${escapeHTML(t('dispatch'))}</h2>${outside}` +
      `<h3>${escapeHTML(t('responsible'))}</h3><table>${unitRows(ctx, q)}${status === 'loaded' ? staffRows(ctx, officers) : ''}</table>` +
      `<h3>${escapeHTML(t('nearest'))}</h3>${nearest}</div>`,
  );
  ctx.panelState = { kind: 'point', loading: false, latlng: [latlng.lat, latlng.lng], lon, lat, status, drawn: lines, query: q };
}
