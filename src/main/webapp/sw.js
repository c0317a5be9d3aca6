// Herald's service worker: shows pushed notifications, opens their link on click, reports what
// the visitor did (shown, clicked, closed) for the job's engagement counts, and renews the
// subscription when the browser replaces it. Change VERSION with every change of this file: the
// browser compares the script byte for byte, installs the new one, and skipWaiting()/clients.claim()
// make it take over open pages at once.
const VERSION = '2026-12-02.4';
const GENERIC = { title: 'Herald', body: 'You have a new notification' };
const ICON = 'icons/icon-192.png';
const BADGE = 'icons/badge-96.png';
const STATE_CACHE = 'herald-state';
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

self.addEventListener('install', event => event.waitUntil(self.skipWaiting()));
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));

self.addEventListener('push', event => event.waitUntil(onPush(event)));

/**
 * A browser that shows Declarative Web Push itself (Safari) hands the notification it will show
 * to a mutable message's push event: nothing to show then, only to count. Elsewhere (Chromium,
 * Firefox without its declarative parser) this worker shows the same notification. Showing comes
 * first, before any fetch: iOS revokes subscriptions whose pushes show nothing.
 */
async function onPush(event) {
  if (event.notification) {
    await report(heraldOf(event.notification.data), 'shown');
    return;
  }
  const shown = notification(message(event.data));
  await self.registration.showNotification(shown.title, shown.options);
  if (shown.badge !== null && self.navigator && 'setAppBadge' in self.navigator) {
    await (shown.badge === 0 ? self.navigator.clearAppBadge() : self.navigator.setAppBadge(shown.badge)).catch(() => {});
  }
  await report(shown.options.data.herald, 'shown');
}

/** The pushed JSON object, or the generic message for an empty or malformed payload. */
function message(data) {
  if (!data) {
    return GENERIC;
  }
  try {
    const json = data.json();
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      if (json.web_push === 8030 && json.notification && typeof json.notification === 'object' && text(json.notification.title)) {
        return json;
      }
      if (text(json.title) || text(json.body)) {
        return json;
      }
    }
  } catch {
    // not JSON: fall through to the generic notification, never none
  }
  return GENERIC;
}

/** What to show: from a declarative message, or from the plain {title, body, url, ...} of messages queued before it. */
function notification(json) {
  const declarative = json.web_push === 8030;
  const n = declarative ? json.notification : json;
  const data = n.data && typeof n.data === 'object' ? n.data : {};
  const url = httpUrl(declarative ? n.navigate : n.url) || httpUrl(data.url) || self.registration.scope;
  const options = {
    body: text(n.body) || '',
    icon: httpUrl(n.icon) || new URL(ICON, self.registration.scope).href,
    badge: httpUrl(n.badge) || new URL(BADGE, self.registration.scope).href,
    data: { url, actions: {}, herald: declarative ? heraldOf(data) : null, app: declarative && data.app !== undefined ? data.app : null }
  };
  if (httpUrl(n.image)) {
    options.image = httpUrl(n.image);
  }
  if (text(n.tag)) {
    options.tag = n.tag;
  }
  if (declarative) {
    for (const name of ['lang', 'dir']) {
      if (text(n[name])) {
        options[name] = n[name];
      }
    }
    for (const name of ['silent', 'requireInteraction']) {
      if (n[name] === true) {
        options[name] = true;
      }
    }
    if (n.renotify === true && options.tag) {
      options.renotify = true;
    }
    if (Array.isArray(n.actions)) {
      options.actions = n.actions.filter(a => a && text(a.action) && text(a.title)).slice(0, 2)
        .map(a => ({ action: a.action, title: a.title }));
      for (const a of n.actions.filter(a => a && text(a.action))) {
        options.data.actions[a.action] = httpUrl(a.navigate) || url;
      }
    }
  }
  const badge = declarative && Number.isInteger(json.app_badge) && json.app_badge >= 0 ? json.app_badge : null;
  return { title: text(n.title) || GENERIC.title, options, badge };
}

/** Herald's part of a notification's data: which job and the push's token, if both look right. */
function heraldOf(data) {
  const herald = data && data.herald;
  return herald && JOB_ID.test(herald.notification) && typeof herald.token === 'string' && /^[A-Za-z0-9_-]{64}$/.test(herald.token)
    ? { notification: herald.notification, token: herald.token } : null;
}

/** Tells Herald what the visitor did; keepalive lets it finish after the worker is done. Never fails the event. */
function report(herald, type, action) {
  if (!herald) {
    return Promise.resolve();
  }
  const body = action ? { type, token: herald.token, action } : { type, token: herald.token };
  return fetch(new URL(`api/notifications/${herald.notification}/events`, self.registration.scope), {
    method: 'POST',
    keepalive: true,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  }).catch(() => {});
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
  const data = event.notification.data || {};
  const url = httpUrl((event.action && data.actions && data.actions[event.action]) || data.url);
  event.waitUntil(Promise.all([
    report(heraldOf(data), 'clicked', event.action || undefined),
    url ? focusOrOpen(url, data.app) : Promise.resolve()
  ]));
});

self.addEventListener('notificationclose', event => event.waitUntil(report(heraldOf((event.notification.data || {})), 'closed')));

/** Focuses a window on url, or opens one, and hands it the site's data (never in the URL). */
async function focusOrOpen(url, app) {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find(client => client.url === url);
  const client = open ? await open.focus() : await self.clients.openWindow(url);
  if (client && app !== null && app !== undefined) {
    client.postMessage({ type: 'herald-notification-click', data: app });
  }
  return client;
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
  // the key it was made with: a renewal by the browser keeps the old one, which the server may still have as a previous key
  const made = subscription.options && subscription.options.applicationServerKey;
  const json = { ...withTimeZone(subscription.toJSON()), ...(made ? { application_server_key: base64Url(made) } : {}) };
  const { id } = await api('POST', 'api/subscribe', oldId ? { ...json, replaces: oldId } : json);
  await cache.put(idRequest, new Response(id));
}

function base64Url(buffer) {
  let binary = '';
  new Uint8Array(buffer).forEach(b => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
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
