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

/** Stores the subscription with the browser's time zone; answers the id the server keeps it under. */
export async function register(subscriptionJson) {
  const timezone = timeZone();
  const { json } = await call('POST', 'api/subscribe', timezone ? { ...subscriptionJson, timezone } : subscriptionJson);
  return json.id;
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
