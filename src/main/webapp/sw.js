// Herald's service worker: shows pushed notifications, opens their link on click, and renews
// the subscription when the browser replaces it. Change VERSION with every change of this
// file: the browser compares the script byte for byte, installs the new one, and
// skipWaiting()/clients.claim() make it take over open pages at once.
const VERSION = '2026-12-02.2';
const GENERIC = { title: 'Herald', body: 'You have a new notification' };
const ICON = 'icons/icon-192.png';
const BADGE = 'icons/badge-96.png';
const STATE_CACHE = 'herald-state';

self.addEventListener('install', event => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));

self.addEventListener('push', event => event.waitUntil(showNotification(message(event.data))));

/** The pushed JSON object, or the generic message for an empty or malformed payload. */
function message(data) {
  if (!data) {
    return GENERIC;
  }
  try {
    const json = data.json();
    if (json && typeof json === 'object' && !Array.isArray(json) && (text(json.title) || text(json.body))) {
      return json;
    }
  } catch {
    // not JSON: fall through to the generic notification, never none
  }
  return GENERIC;
}

function showNotification(json) {
  const data = json.data && typeof json.data === 'object' ? json.data : {};
  const options = {
    body: text(json.body) || '',
    icon: httpUrl(json.icon) || new URL(ICON, self.registration.scope).href,
    badge: httpUrl(json.badge) || new URL(BADGE, self.registration.scope).href,
    data: { url: httpUrl(json.url) || httpUrl(data.url) || self.registration.scope }
  };
  if (httpUrl(json.image)) {
    options.image = httpUrl(json.image);
  }
  if (text(json.tag)) {
    options.tag = json.tag;
  }
  return self.registration.showNotification(text(json.title) || GENERIC.title, options);
}

function text(value) {
  return typeof value === 'string' && value.trim() ? value : null;
}

/** Only http(s) URLs; relative ones resolve against this worker's site. */
function httpUrl(value) {
  if (!text(value)) {
    return null;
  }
  try {
    const url = new URL(value, self.registration.scope);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

self.addEventListener('notificationclick', event => {
  event.notification.close();
  const url = httpUrl(event.notification.data && event.notification.data.url);
  if (url) {
    event.waitUntil(focusOrOpen(url));
  }
});

async function focusOrOpen(url) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find(client => client.url === url);
  return open ? open.focus() : self.clients.openWindow(url);
}

// The browser replaced or dropped the subscription: subscribe again with the server's key and
// store the new one, naming the old id (the page keeps it in the Cache API for us) as `replaces`:
// the server moves the old record's channels and zone over (its user only with the API token, which
// a worker has not: README "Audiences") and deletes it, in one step, and
// ignores an id it no longer has. So there is no unsubscribe of the old id to send, nor to lose.
self.addEventListener('pushsubscriptionchange', event => event.waitUntil(renew(event)));

async function renew(event) {
  const key = (await api('GET', 'api/subscribe')).public_key;
  const subscription = event.newSubscription || await self.registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: key
  });
  const cache = await caches.open(STATE_CACHE);
  const idRequest = new Request(new URL('herald-state/subscription-id', self.registration.scope));
  const stored = await cache.match(idRequest);
  const oldId = stored ? await stored.text() : null;
  const json = withTimeZone(subscription.toJSON());
  const { id } = await api('POST', 'api/subscribe', oldId ? { ...json, replaces: oldId } : json);
  await cache.put(idRequest, new Response(id));
}

/** The subscription with the browser's time zone, as the page sends it (api.js timeZone: a classic worker cannot import it). */
function withTimeZone(json) {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return typeof zone === 'string' && /^[\x21-\x7e]{1,64}$/.test(zone) ? { ...json, timezone: zone } : json;
  } catch {
    return json;
  }
}

async function api(method, path, body) {
  const response = await fetch(new URL(path, self.registration.scope), {
    method,
    cache: 'no-store',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: HTTP ${response.status}`);
  }
  return response.json();
}
