// The grid panel: a clicked grid's coverage, load, staffing against the
// norm, response times and top coverage gaps.

import { escapeHTML } from './styles.js';
import { format } from './figures.js';
import { selectionLayer } from './grids.js';

/** cell prints one figure with the attributes the tests read. */
export function cell(ctx, source, key, fmt, p, extra) {
  const v = p ? p[key] : undefined;
  const shown = v === undefined ? '—' : format(ctx.i18n, fmt, v);
  const dv = v === undefined ? '' : JSON.stringify(v);
  return `<td data-source="${source}" data-figure="${escapeHTML(key)}" data-value="${escapeHTML(dv)}">${escapeHTML(shown)}${extra ? ' <span class="gw-muted">' + escapeHTML(extra) + '</span>' : ''}</td>`;
}

function row(ctx, label, source, key, fmt, p, extra) {
  return `<tr><th>${escapeHTML(label)}</th>${cell(ctx, source, key, fmt, p, extra)}</tr>`;
}

function ofTotal(ctx, p, part, whole, kind) {
  if (!p || p[part] === undefined || p[whole] === undefined) return '';
  const f = kind === 'area' ? (v) => ctx.i18n.area(v) : (v) => format(ctx.i18n, 'num', v);
  return `${f(p[part])} / ${f(p[whole])}`;
}

function statusNote(ctx, entry) {
  if (!entry || entry.status === 'loaded') return '';
  const key = entry.status === 'off' ? 'loading' : entry.status;
  return `<p class="gw-status gw-status-${escapeHTML(entry.status)}" data-status="${escapeHTML(entry.status)}">${escapeHTML(ctx.i18n.t(key))}</p>`;
}

function coverageSection(ctx, entry, id) {
  const p = entry.byId.get(id);
  const t = (k) => ctx.i18n.t(k);
  const body = p
    ? `<table>${[
        row(ctx, t('coverage_area'), 'coverage', 'coverage_area', 'pct', p, ofTotal(ctx, p, 'covered_area_m2', 'area_m2', 'area')),
        row(ctx, t('coverage_settlement_area'), 'coverage', 'coverage_settlement_area', 'pct', p, ofTotal(ctx, p, 'covered_settlement_area_m2', 'settlement_area_m2', 'area')),
        row(ctx, t('coverage_population'), 'coverage', 'coverage_population', 'pct', p, ofTotal(ctx, p, 'population_covered', 'population')),
        row(ctx, t('coverage_incidents'), 'coverage', 'coverage_incidents', 'pct', p, ofTotal(ctx, p, 'incidents_covered', 'incidents')),
        row(ctx, t('coverage_places'), 'coverage', 'coverage_places', 'pct', p, ofTotal(ctx, p, 'places_covered', 'places')),
        row(ctx, t('camerasN'), 'coverage', 'cameras', 'num', p, ofTotal(ctx, p, 'cameras_online', 'cameras') ? `${t('online')} ${ofTotal(ctx, p, 'cameras_online', 'cameras')}` : ''),
        row(ctx, t('online_rate'), 'coverage', 'online_rate', 'pct', p),
        row(ctx, t('xueliang'), 'coverage', 'cameras_xueliang', 'num', p),
        row(ctx, t('rural_ground_network'), 'coverage', 'cameras_rural_ground_network', 'num', p),
        row(ctx, t('courtyard'), 'coverage', 'cameras_courtyard', 'num', p),
      ].join('')}</table>`
    : '';
  return `<section class="gw-section" data-section="coverage"><h3>${escapeHTML(t('coverage'))} <span class="gw-muted">(${escapeHTML(t(ctx.st.variant))})</span></h3>${statusNote(ctx, entry)}${body}</section>`;
}

function loadSection(ctx, entry, id) {
  const p = entry.byId.get(id);
  const t = (k) => ctx.i18n.t(k);
  const body = p
    ? `<table>${[
        row(ctx, t('population'), 'load', 'population', 'num', p),
        row(ctx, t('households'), 'load', 'households', 'num', p),
        row(ctx, t('incidents_window'), 'load', 'incidents', 'num', p),
        row(ctx, t('incidents_30d'), 'load', 'incidents_30d', 'num', p),
        row(ctx, t('residents_per_police'), 'load', 'residents_per_police', 'num', p),
        row(ctx, t('households_per_police'), 'load', 'households_per_police', 'num', p),
        row(ctx, t('incidents_per_police'), 'load', 'incidents_per_police', 'num1', p),
        row(ctx, t('area_km2_per_police'), 'load', 'area_km2_per_police', 'num2', p),
        row(ctx, t('load_index'), 'load', 'load_index', 'num2', p),
      ].join('')}</table>${staffing(ctx, p)}`
    : '';
  return `<section class="gw-section" data-section="load"><h3>${escapeHTML(t('load'))}</h3>${statusNote(ctx, entry)}${body}</section>`;
}

/** staffing shows headcounts; the grid norm is one linked officer (一格一警; 1 + 2 is a beat's norm). */
function staffing(ctx, p) {
  const t = (k) => ctx.i18n.t(k);
  const roles = [
    ['police', 'police_assigned', 'police', '≥ 1'],
    ['auxiliary', 'auxiliaries_assigned', 'auxiliaries', ''],
    ['grid_worker', 'grid_workers_assigned', 'grid_workers', ''],
    ['volunteer', 'volunteers_assigned', 'volunteers', ''],
  ];
  const rows = roles
    .map(([role, assigned, share, norm]) => `<tr><th>${escapeHTML(t(role))}</th>${cell(ctx, 'load', assigned, 'num', p)}${cell(ctx, 'load', share, 'num2', p)}<td>${escapeHTML(norm)}</td></tr>`)
    .join('');
  const below = p.below_norm === true;
  const badge = p.below_norm === undefined ? '' : `<span class="gw-badge ${below ? 'gw-bad' : 'gw-good'}" data-figure="below_norm" data-value="${below}">${escapeHTML(t(below ? 'belowNorm' : 'meets'))}</span>`;
  return `<h4>${escapeHTML(t('staffing'))} ${badge}</h4><table class="gw-staffing"><tr><th></th><th>${escapeHTML(t('assigned'))}</th><th>${escapeHTML(t('share'))}</th><th>${escapeHTML(t('norm'))}</th></tr>${rows}</table>`;
}

function responseSection(ctx, entry, id) {
  const p = entry.byId.get(id);
  const t = (k) => ctx.i18n.t(k);
  const body = p
    ? `<table>${[
        row(ctx, t('worst'), 'response', 'worst_s', 'min', p, t('minutes')),
        row(ctx, t('mean'), 'response', 'mean_s', 'min', p, t('minutes')),
        row(ctx, t('population_beyond'), 'response', 'population_beyond', 'num', p),
      ].join('')}</table>`
    : '';
  return `<section class="gw-section" data-section="response"><h3>${escapeHTML(t('response'))}</h3>${statusNote(ctx, entry)}${body}</section>`;
}

function gapsSection(ctx, state) {
  const t = (k) => ctx.i18n.t(k);
  let body = '';
  if (state.status === 'loaded') {
    const rows = state.features
      .map((f, i) => {
        const p = f.properties || {};
        return `<tr data-gap="${i}"><td>${i + 1}</td>${cell(ctx, 'gaps', 'priority', 'num2', p)}<td>${escapeHTML(ctx.i18n.area(p.area_m2))}</td>${cell(ctx, 'gaps', 'population', 'num', p)}${cell(ctx, 'gaps', 'incidents', 'num', p)}${cell(ctx, 'gaps', 'places', 'num', p)}</tr>`;
      })
      .join('');
    body = rows
      ? `<table class="gw-gaps"><tr><th>#</th><th>${escapeHTML(t('priority'))}</th><th>${escapeHTML(t('area'))}</th><th>${escapeHTML(t('population'))}</th><th>${escapeHTML(t('incidentsN'))}</th><th>${escapeHTML(t('places'))}</th></tr>${rows}</table>`
      : `<p class="gw-muted">${escapeHTML(t('noGaps'))}</p>`;
  }
  return `<section class="gw-section" data-section="gaps"><h3>${escapeHTML(t('topGaps'))}</h3>${statusNote(ctx, state)}${body}</section>`;
}

/** showGrid opens the panel of a grid and fills it as its figures arrive. */
export async function showGrid(ctx, feature, latlng) {
  const p = feature.properties || {};
  const id = String(p.id !== undefined ? p.id : feature.id);
  const token = (ctx.panelToken = {});
  ctx.setSelection(selectionLayer(ctx, feature));
  ctx.clearDispatch();
  const gaps = { status: 'loading', features: [] };
  ctx.panelState = { kind: 'grid', id, loading: true, latlng: [latlng.lat, latlng.lng] };
  const render = () => {
    if (ctx.panelToken !== token) return;
    const st = ctx.st;
    const title = `${ctx.i18n.t('grid')} ${escapeHTML(p.name || id)} <span class="gw-muted">${escapeHTML(id)}</span>`;
    const unit = `${escapeHTML(ctx.villageName(p.village))} · ${escapeHTML(ctx.townshipName(p.township))}`;
    ctx.openPanel(
      `<div data-panel="grid" data-grid="${escapeHTML(id)}"><h2>${title}</h2><p class="gw-muted">${unit}</p>` +
        coverageSection(ctx, ctx.figures.peek('coverage', st), id) +
        loadSection(ctx, ctx.figures.peek('load', st), id) +
        gapsSection(ctx, gaps) +
        responseSection(ctx, ctx.figures.peek('response', st), id) +
        `<p><button type="button" class="gw-button" data-action="dispatch">${escapeHTML(ctx.i18n.t('dispatchHere'))}</button></p></div>`,
      { dispatch: () => ctx.showPoint(latlng) },
    );
  };
  render();
  const loads = ['coverage', 'load', 'response'].map((s) => ctx.figures.load(s, ctx.st).then(render));
  const gapLoad = ctx.client
    .features('/coverage/gaps', { grid: id, variant: ctx.st.variant, limit: 3 }, undefined, 1)
    .then((fc) => {
      gaps.status = 'loaded';
      gaps.features = (fc.features || []).slice(0, 3);
    })
    .catch((err) => {
      gaps.status = err.kind || 'error';
    })
    .then(render);
  await Promise.all([...loads, gapLoad]);
  if (ctx.panelToken === token) {
    ctx.panelState.loading = false;
    render();
  }
}
