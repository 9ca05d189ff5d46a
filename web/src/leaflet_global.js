// Leaflet as a module and as the global L that leaflet.heat expects.

import L from 'leaflet';

window.L = L;

export default L;
