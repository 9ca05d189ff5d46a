// Colours of the map's symbols, shared by the layers and the legend.

export const sourceColours = {
  xueliang: '#d62728',
  rural_ground_network: '#1f77b4',
  courtyard: '#2ca02c',
};

export const roleColours = {
  police: '#08306b',
  auxiliary: '#4292c6',
  grid_worker: '#f16913',
  volunteer: '#6a51a3',
};

export const offlineColour = '#7f7f7f';

export const colours = {
  township: '#222222',
  village: '#555555',
  beat: '#0b3d91',
  gap: '#7b2cbf',
  hotspot: '#e6550d',
  misfit: '#ff7f0e',
  responseGap: '#e7298a',
  selected: '#00e5ff',
  dispatch: '#111111',
};

/** sourceColour returns the colour of a camera source. */
export function sourceColour(source) {
  return sourceColours[source] || '#999999';
}

/** roleColour returns the colour of a responder role. */
export function roleColour(role) {
  return roleColours[role] || '#999999';
}

/** isOnline reads a camera's or viewshed's online flag (true when absent). */
export function isOnline(props) {
  return props.online !== false && props.online !== 'false';
}

/** escapeHTML escapes text for HTML. */
export function escapeHTML(s) {
  return String(s === null || s === undefined ? '' : s).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
}
