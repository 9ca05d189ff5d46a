// The page's controls: the header (filters, variant, token, language) and
// the legend (a row per layer with its toggle, status, symbols and download
// button).

import { escapeHTML } from './styles.js';
import { figures } from './figures.js';

/** legendOrder is the order of the legend's rows. */
export const legendOrder = ['grids', 'townships', 'villages', 'beats', 'misfits', 'gaps', 'hotspots', 'cameras', 'viewsheds', 'responders', 'incidents', 'response_gaps'];

function options(items, selected, allLabel) {
  const all = `<option value="">${escapeHTML(allLabel)}</option>`;
  return all + items.map(([v, label]) => `<option value="${escapeHTML(v)}"${v === selected ? ' selected' : ''}>${escapeHTML(label)}</option>`).join('');
}

/** renderHeader fills the header for the language and state. */
export function renderHeader(ctx, el, handlers) {
  const t = (k) => ctx.i18n.t(k);
  const st = ctx.st;
  const townships = ctx.units.townships.map((f) => [f.properties.id, f.properties.name || f.properties.id]);
  const villages = ctx.units.villages
    .filter((f) => !st.township || f.properties.township === st.township)
    .map((f) => [f.properties.id, f.properties.name || f.properties.id]);
  const hasToken = !!ctx.client.token;
  el.innerHTML =
    `<div class="gw-brand"><h1>${escapeHTML(t('title'))}</h1>${ctx.synthetic ? `<span class="gw-synthetic">${escapeHTML(t('synthetic'))}</span>` : ''}</div>` +
    `<label class="gw-field">${escapeHTML(t('township'))} <select id="gw-township">${options(townships, st.township, t('all'))}</select></label>` +
    `<label class="gw-field">${escapeHTML(t('village'))} <select id="gw-village">${options(villages, st.village, t('all'))}</select></label>` +
    `<span class="gw-field gw-variant" role="radiogroup">${escapeHTML(t('variant'))} ` +
    ['installed', 'operational']
      .map((v) => `<label><input type="radio" name="gw-variant" value="${v}"${st.variant === v ? ' checked' : ''}> ${escapeHTML(t(v))}</label>`)
      .join(' ') +
    `</span>` +
    `<form class="gw-field gw-token" id="gw-token-form"><input type="password" id="gw-token" autocomplete="off" placeholder="${escapeHTML(t('tokenPlaceholder'))}">` +
    `<button type="submit" class="gw-button">${escapeHTML(t('save'))}</button><button type="button" class="gw-button" id="gw-token-clear">${escapeHTML(t('clear'))}</button>` +
    `<span class="gw-muted" id="gw-token-state" data-token="${hasToken}">${escapeHTML(t(hasToken ? 'tokenSet' : 'tokenNone'))}</span></form>` +
    `<button type="button" class="gw-button" id="gw-lang">${escapeHTML(t('language'))}</button>`;
  el.querySelector('#gw-township').addEventListener('change', (e) => handlers.township(e.target.value));
  el.querySelector('#gw-village').addEventListener('change', (e) => handlers.village(e.target.value));
  for (const r of el.querySelectorAll('input[name="gw-variant"]')) r.addEventListener('change', (e) => handlers.variant(e.target.value));
  el.querySelector('#gw-token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    handlers.token(el.querySelector('#gw-token').value.trim());
  });
  el.querySelector('#gw-token-clear').addEventListener('click', () => handlers.token(''));
  el.querySelector('#gw-lang').addEventListener('click', handlers.lang);
}

function figureSelect(ctx) {
  const t = (k) => ctx.i18n.t(k);
  const groups = [];
  for (const f of figures) {
    let g = groups.find((x) => x.key === f.group);
    if (!g) groups.push((g = { key: f.group, items: [] }));
    g.items.push(f);
  }
  const opts = groups
    .map((g) => `<optgroup label="${escapeHTML(t(g.key))}">${g.items.map((f) => `<option value="${f.key}"${f.key === ctx.st.figure ? ' selected' : ''}>${escapeHTML(t(f.label))}</option>`).join('')}</optgroup>`)
    .join('');
  return `<label class="gw-figure">${escapeHTML(t('figure'))}<select id="gw-figure">${opts}</select></label><div class="gw-figure-status" id="gw-figure-status"></div>`;
}

/** renderLegend builds the legend's rows. */
export function renderLegend(ctx, el, handlers) {
  const t = (k) => ctx.i18n.t(k);
  const rows = legendOrder
    .map((id) => {
      const extra = id === 'grids' ? figureSelect(ctx) : '';
      return (
        `<div class="gw-layer" data-layer="${id}" data-status="off" data-count="0">` +
        `<div class="gw-layer-head"><label><input type="checkbox" data-toggle="${id}"> ${escapeHTML(t(id))}</label>` +
        `<button type="button" class="gw-dl" data-download="${id}" title="${escapeHTML(t('download'))}" aria-label="${escapeHTML(t('download'))}">⤓</button></div>` +
        `<div class="gw-layer-status"></div>${extra}<div class="gw-layer-legend"></div></div>`
      );
    })
    .join('');
  el.innerHTML = `<h2>${escapeHTML(t('layers'))}</h2>${rows}<p class="gw-need" id="gw-need"></p><p class="gw-hint">${escapeHTML(t('hint'))}</p>`;
  for (const cb of el.querySelectorAll('input[data-toggle]')) cb.addEventListener('change', (e) => handlers.toggle(e.target.dataset.toggle, e.target.checked));
  for (const b of el.querySelectorAll('button[data-download]')) b.addEventListener('click', (e) => handlers.download(e.currentTarget.dataset.download));
  el.querySelector('#gw-figure').addEventListener('change', (e) => handlers.figure(e.target.value));
  updateLegend(ctx, el);
}

function statusText(ctx, e) {
  const t = (k) => ctx.i18n.t(k);
  switch (e.status) {
    case 'loaded':
      return `${ctx.i18n.num(e.count)} ${t('loaded')}`;
    case 'off':
      return '';
    case 'zoom':
      return t('zoomIn');
    default:
      return t(e.status);
  }
}

/** updateLegend shows each layer's current status, count and symbols. */
export function updateLegend(ctx, el) {
  const t = (k) => ctx.i18n.t(k);
  const need = [];
  for (const row of el.querySelectorAll('.gw-layer')) {
    const id = row.dataset.layer;
    const e = ctx.manager.entry(id);
    if (!e) continue;
    row.dataset.status = e.status;
    row.dataset.count = String(e.count);
    row.querySelector('input[data-toggle]').checked = e.visible;
    const st = row.querySelector('.gw-layer-status');
    st.textContent = statusText(ctx, e);
    st.className = `gw-layer-status gw-status-${e.status}`;
    row.querySelector('.gw-dl').disabled = !e.shown || e.status !== 'loaded';
    row.querySelector('.gw-layer-legend').innerHTML = e.visible && e.status === 'loaded' ? e.def.legend(ctx) : '';
    if (e.status === 'forbidden') need.push(t(id));
  }
  const fig = el.querySelector('#gw-figure-status');
  if (fig) {
    const s = ctx.figureStatus || 'loaded';
    fig.dataset.status = s;
    fig.textContent = s === 'loaded' || s === 'off' ? '' : t(s);
    fig.className = `gw-figure-status gw-status-${s}`;
  }
  el.querySelector('#gw-need').textContent = need.length ? t('needAnalyst') + need.join('、') : '';
}
