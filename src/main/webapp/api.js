// Calls to Herald's API on this page's own origin. URLs are relative, so the page works
// under any context root.

export class ServerError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
    this.detail = detail;
  }
}

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      cache: 'no-store',
      headers: body === undefined ? { Accept: 'application/json' }
        : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
  } catch {
    throw new ServerError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  const type = response.headers.get('Content-Type') || '';
  const json = type.includes('json') ? await response.json().catch(() => null) : null;
  if (!response.ok) {
    const detail = json && typeof json.detail === 'string' && json.detail
      ? json.detail
      : `The server answered ${response.status} ${response.statusText}`.trim() + '.';
    const error = new ServerError(response.status, detail);
    error.retryAfter = response.headers.get('Retry-After');
    throw error;
  }
  return { status: response.status, json };
}

export async function publicKey() {
  const { json } = await call('GET', 'api/subscribe');
  if (!json || typeof json.public_key !== 'string') {
    throw new ServerError(200, 'The server did not send its public key.');
  }
  return json.public_key;
}

/**
 * The browser's IANA time zone (e.g. "Europe/Berlin"), so that the server can deliver at the
 * visitor's local time; undefined when the browser has none, or none the server would take
 * (printable ASCII, at most 64 characters): better a subscription without a zone than none.
 */
export function timeZone() {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return typeof zone === 'string' && /^[\x21-\x7e]{1,64}$/.test(zone) ? zone : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores the subscription with the browser's time zone and what `also` names (`channels`, the ids
 * chosen; `replaces`, the id of the subscription this one renews, whose channels the server moves
 * over); answers the id the server keeps it under. What the body does not name, the server keeps.
 */
export async function register(subscriptionJson, also = {}) {
  const timezone = timeZone();
  const { json } = await call('POST', 'api/subscribe', { ...subscriptionJson, ...(timezone ? { timezone } : {}), ...also });
  return json.id;
}

/** The channels the operator declared, [{ id, label }]; none from a server that has no channels yet (404). */
export async function channels() {
  try {
    const { json } = await call('GET', 'api/channels');
    return Array.isArray(json) ? json.filter(c => c && typeof c.id === 'string' && typeof c.label === 'string') : [];
  } catch (error) {
    if (error.status === 404) {
      return [];
    }
    throw error;
  }
}

/** Replaces the subscription's channels with `ids` (the whole set); answers the stored record. */
export async function setChannels(id, ids) {
  return (await call('PUT', `api/subscriptions/${encodeURIComponent(id)}/channels`, { channels: ids })).json;
}

/** The stored subscription, or null when the server does not know the id. */
export async function stored(id) {
  try {
    return (await call('GET', `api/subscriptions/${encodeURIComponent(id)}`)).json;
  } catch (error) {
    if (error.status === 404) {
      return null;
    }
    throw error;
  }
}

export async function unregister(id) {
  await call('POST', 'api/unsubscribe', { client_uuid: id });
}

export async function sendTest(id) {
  return (await call('POST', `api/subscriptions/${encodeURIComponent(id)}/test`, {})).json;
}
