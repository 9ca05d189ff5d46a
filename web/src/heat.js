// A heat layer drawn in a pane of its own (leaflet.heat always uses the
// overlay pane), so that it sits above the vector canvas without catching
// its clicks.

import L from './leaflet_global.js';
import 'leaflet.heat';

/** HeatLayer is L.HeatLayer drawn in the pane named by options.pane. */
export const HeatLayer = L.HeatLayer.extend({
  onAdd(map) {
    L.HeatLayer.prototype.onAdd.call(this, map);
    map.getPane(this.options.pane || 'overlayPane').appendChild(this._canvas);
  },

  onRemove(map) {
    L.DomUtil.remove(this._canvas);
    map.off('moveend', this._reset, this);
    if (map.options.zoomAnimation) map.off('zoomanim', this._animateZoom, this);
  },
});

/** heatLayer returns a HeatLayer of [lat, lon, weight] points. */
export function heatLayer(points, options) {
  return new HeatLayer(points, options);
}
