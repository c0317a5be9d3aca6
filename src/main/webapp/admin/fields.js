// Server validation beside its field: a problem's JSON pointer (RFC 6901) names the member; the nearest [data-error-for] shows it.

/** Clears every message in the container. */
export function clearErrors(container) {
  for (const node of container.querySelectorAll('[data-error-for]')) {
    node.textContent = '';
  }
  for (const node of container.querySelectorAll('[aria-invalid]')) {
    node.removeAttribute('aria-invalid');
  }
}

/** Shows the detail at the field the pointer names, or at its nearest listed parent (/users/3 at /users), or at the form. */
export function showError(container, pointer, detail, fallback = '') {
  const places = new Map([...container.querySelectorAll('[data-error-for]')].map(node => [node.dataset.errorFor, node]));
  let path = pointer ?? fallback;
  while (path && !places.has(path)) {
    path = path.slice(0, path.lastIndexOf('/'));
  }
  const place = places.get(path) ?? places.get(fallback) ?? places.get('');
  place.textContent = detail;
  if (place.dataset.errorFor) {
    place.parentElement.querySelector('input, textarea, select')?.setAttribute('aria-invalid', 'true');
  }
  return place;
}
