// Point-in-polygon on GeoJSON geometries, for answering a click when the
// nearest-responder endpoint is not available to the caller.

function inRing(lon, lat, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lon, lat, rings) {
  if (!rings.length || !inRing(lon, lat, rings[0])) return false;
  for (let i = 1; i < rings.length; i++) if (inRing(lon, lat, rings[i])) return false;
  return true;
}

/** contains reports whether a Polygon or MultiPolygon contains the point. */
export function contains(geometry, lon, lat) {
  if (!geometry) return false;
  if (geometry.type === 'Polygon') return inPolygon(lon, lat, geometry.coordinates);
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.some((p) => inPolygon(lon, lat, p));
  return false;
}

/** featureAt returns the first feature of a collection containing the point. */
export function featureAt(fc, lon, lat) {
  if (!fc) return null;
  return (fc.features || []).find((f) => contains(f.geometry, lon, lat)) || null;
}
