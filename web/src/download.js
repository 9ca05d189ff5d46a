// The legend's download buttons: each saves the GeoJSON behind its layer
// (the features drawn, after the township/village filter), the grids with
// every per-grid figure loaded so far.

function gridsCollection(ctx, shown) {
  const sources = ['coverage', 'load', 'response'].map((s) => ctx.figures.peek(s, ctx.st).byId);
  const features = shown.features.map((f) => {
    const id = String(f.properties.id !== undefined ? f.properties.id : f.id);
    const props = { ...f.properties };
    for (const byId of sources) Object.assign(props, byId.get(id) || {});
    return { ...f, properties: props };
  });
  return { type: 'FeatureCollection', features };
}

/** layerCollection returns the GeoJSON behind a layer, or null. */
export function layerCollection(ctx, id) {
  const e = ctx.manager.entry(id);
  if (!e || !e.shown) return null;
  return id === 'grids' ? gridsCollection(ctx, e.shown) : { type: 'FeatureCollection', features: e.shown.features };
}

/** download saves a layer's GeoJSON as LAYER.geojson. */
export function download(ctx, id) {
  const fc = layerCollection(ctx, id);
  if (!fc) return;
  const blob = new Blob([JSON.stringify(fc)], { type: 'application/geo+json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${id}${id === 'gaps' || id === 'hotspots' || id === 'grids' ? '-' + ctx.st.variant : ''}.geojson`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
