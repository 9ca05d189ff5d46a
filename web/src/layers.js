// The overlays of the map: where each layer's GeoJSON comes from and how it
// is drawn. The grids choropleth is built in grids.js.

import L from './leaflet_global.js';
import { heatLayer } from './heat.js';
import { colours, escapeHTML, isOnline, offlineColour, roleColour, sourceColour, sourceColours, roleColours } from './styles.js';

function outline(colour, weight, dash) {
  return () => ({ color: colour, weight, dashArray: dash, fill: false, opacity: 0.9 });
}

function area(colour, fillOpacity) {
  return () => ({ color: colour, weight: 1, fillColor: colour, fillOpacity, opacity: 0.9 });
}

function popupOf(ctx, titleKey, keys) {
  return (feature, layer) => {
    layer.on('click', (e) => {
      L.DomEvent.stopPropagation(e);
      const p = feature.properties || {};
      const rows = keys
        .filter((k) => p[k] !== undefined)
        .map((k) => `<tr><th>${escapeHTML(propLabel(ctx, k))}</th><td>${escapeHTML(formatProp(ctx, k, p[k]))}</td></tr>`)
        .join('');
      const id = p.id !== undefined ? p.id : feature.id;
      L.popup()
        .setLatLng(e.latlng)
        .setContent(`<b>${escapeHTML(ctx.i18n.t(titleKey))} ${escapeHTML(id === undefined ? '' : id)}</b><table class="gw-popup">${rows}</table>`)
        .openOn(ctx.map);
    });
  };
}

function propLabel(ctx, key) {
  const label = ctx.i18n.t('p_' + key);
  return label === 'p_' + key ? key : label;
}

function formatProp(ctx, key, v) {
  if (typeof v === 'boolean') return ctx.i18n.t(v ? 'yes' : 'no');
  if (typeof v === 'number') {
    if (key.endsWith('_m2')) return ctx.i18n.area(v);
    if (key.endsWith('_s')) return ctx.i18n.minutes(v);
    return ctx.i18n.num(v, 2);
  }
  if (typeof v === 'string' && ctx.i18n.t(v) !== v) return ctx.i18n.t(v);
  if (Array.isArray(v)) return v.join(', ');
  return v;
}

function geojson(ctx, fc, options) {
  return L.geoJSON(fc, { renderer: ctx.renderer, ...options });
}

function swatch(colour, kind, label) {
  return `<span class="gw-swatch gw-swatch-${kind}" style="--c:${colour}"></span>${escapeHTML(label)}`;
}

/** layerDefs lists the overlays in drawing order, bottom first. */
export function layerDefs() {
  return [
    {
      id: 'response_gaps',
      path: '/response/gaps',
      params: () => ({}),
      filter: 'grids',
      render: (ctx, fc) => geojson(ctx, fc, { style: area(colours.responseGap, 0.45), onEachFeature: popupOf(ctx, 'response_gaps', ['rank', 'worst_s', 'population', 'incidents', 'area_m2', 'grids']) }),
      legend: () => swatch(colours.responseGap, 'area', ''),
    },
    {
      id: 'misfits',
      path: '/load/congruence',
      params: () => ({}),
      filter: 'props',
      render: (ctx, fc) => geojson(ctx, fc, { style: area(colours.misfit, 0.5), onEachFeature: popupOf(ctx, 'misfits', ['grid', 'beat', 'dominant_beat', 'area_m2', 'share', 'village', 'township']) }),
      legend: () => swatch(colours.misfit, 'area', ''),
    },
    {
      id: 'gaps',
      path: '/coverage/gaps',
      params: (st) => ({ variant: st.variant, limit: 10000 }),
      filter: 'props',
      render: (ctx, fc) => geojson(ctx, fc, { style: area(colours.gap, 0.55), onEachFeature: popupOf(ctx, 'gaps', ['priority', 'area_m2', 'population', 'incidents', 'places', 'grid', 'village', 'township']) }),
      legend: () => swatch(colours.gap, 'area', ''),
    },
    {
      id: 'hotspots',
      path: '/coverage/hotspots',
      params: (st) => ({ variant: st.variant }),
      filter: 'props',
      render: (ctx, fc) => {
        const max = Math.max(1, ...fc.features.map((f) => Number(f.properties && (f.properties.incidents ?? f.properties.count)) || 1));
        const weight = (p) => (Number(p.incidents ?? p.count) || 1) / max;
        return geojson(ctx, fc, {
          style: (f) => ({ color: colours.hotspot, weight: 1, fillColor: colours.hotspot, fillOpacity: 0.25 + 0.65 * weight(f.properties || {}) }),
          pointToLayer: (f, latlng) => L.circleMarker(latlng, { renderer: ctx.renderer, radius: 4 + 10 * weight(f.properties || {}) }),
          onEachFeature: popupOf(ctx, 'hotspots', ['incidents', 'count', 'cell', 'grid', 'village', 'township']),
        });
      },
      legend: () => swatch(colours.hotspot, 'area', ''),
    },
    {
      id: 'viewsheds',
      path: '/collections/viewsheds/items',
      params: () => ({ limit: 10000 }),
      bbox: true,
      minZoom: 13,
      filter: 'grid',
      hide: (st, p) => st.variant === 'operational' && !isOnline(p),
      render: (ctx, fc) =>
        geojson(ctx, fc, {
          interactive: false,
          style: (f) => {
            const p = f.properties || {};
            return isOnline(p)
              ? { color: sourceColour(p.source), weight: 0.6, fillColor: sourceColour(p.source), fillOpacity: 0.18, opacity: 0.7 }
              : { color: offlineColour, weight: 0.8, dashArray: '3 3', fillColor: offlineColour, fillOpacity: 0.06, opacity: 0.8 };
          },
        }),
      legend: (ctx) =>
        Object.keys(sourceColours).map((s) => swatch(sourceColours[s], 'area', ctx.i18n.t(s))).join('<br>') + '<br>' + swatch(offlineColour, 'dashed', ctx.i18n.t('offline')),
    },
    {
      id: 'townships',
      path: '/collections/townships/items',
      params: () => ({ limit: 10000 }),
      shared: true,
      filter: 'township',
      render: (ctx, fc) => geojson(ctx, fc, { interactive: false, style: outline(colours.township, 2.5) }),
      legend: () => swatch(colours.township, 'line', ''),
    },
    {
      id: 'villages',
      path: '/collections/villages/items',
      params: () => ({ limit: 10000 }),
      shared: true,
      filter: 'village',
      render: (ctx, fc) => geojson(ctx, fc, { interactive: false, style: outline(colours.village, 1.2, '4 3') }),
      legend: () => swatch(colours.village, 'dashed', ''),
    },
    {
      id: 'beats',
      path: '/collections/beats/items',
      params: () => ({ limit: 10000 }),
      shared: true,
      filter: 'none',
      render: (ctx, fc) => geojson(ctx, fc, { interactive: false, style: outline(colours.beat, 2, '8 4') }),
      legend: () => swatch(colours.beat, 'dashed', ''),
    },
    {
      id: 'incidents',
      path: '/collections/incidents/items',
      params: () => ({ limit: 10000 }),
      bbox: true,
      filter: 'grid',
      heat: true,
      render: (ctx, fc) => {
        const pts = fc.features.filter((f) => f.geometry && f.geometry.type === 'Point').map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0], 1]);
        return heatLayer(pts, { pane: 'gwHeat', radius: 12, blur: 15, maxZoom: 16, max: 4, minOpacity: 0.15 });
      },
      count: (layer) => layer._latlngs.length,
      legend: () => '<span class="gw-heat-ramp"></span>',
    },
    {
      id: 'cameras',
      path: '/collections/cameras/items',
      params: () => ({ limit: 10000 }),
      bbox: true,
      filter: 'grid',
      hide: (st, p) => st.variant === 'operational' && !isOnline(p),
      render: (ctx, fc) =>
        geojson(ctx, fc, {
          pointToLayer: (f, latlng) => {
            const p = f.properties || {};
            const on = isOnline(p);
            return L.circleMarker(latlng, {
              renderer: ctx.renderer,
              radius: 3.5,
              weight: on ? 1 : 1.5,
              color: on ? '#ffffff' : offlineColour,
              fillColor: on ? sourceColour(p.source) : '#ffffff',
              fillOpacity: 1,
            });
          },
          onEachFeature: popupOf(ctx, 'cameras', ['source', 'type', 'online', 'bearing_deg', 'fov_deg', 'range_m', 'installed', 'grid']),
        }),
      legend: (ctx) =>
        Object.keys(sourceColours).map((s) => swatch(sourceColours[s], 'point', ctx.i18n.t(s))).join('<br>') + '<br>' + swatch(offlineColour, 'hollow', ctx.i18n.t('offline')),
    },
    {
      id: 'responders',
      path: '/collections/responders/items',
      params: () => ({ limit: 10000 }),
      filter: 'grids',
      render: (ctx, fc) =>
        geojson(ctx, fc, {
          pointToLayer: (f, latlng) => {
            const p = f.properties || {};
            const c = roleColour(p.role);
            return L.circleMarker(latlng, {
              renderer: ctx.renderer,
              radius: 5,
              weight: 2,
              color: c,
              fillColor: p.available === false ? '#ffffff' : c,
              fillOpacity: 1,
            });
          },
          onEachFeature: popupOf(ctx, 'responders', ['name', 'role', 'station', 'grids', 'available', 'updated']),
        }),
      legend: (ctx) => Object.keys(roleColours).map((r) => swatch(roleColours[r], 'point', ctx.i18n.t(r))).join('<br>'),
    },
  ];
}
