// Browser-side helpers: key encoding, a timeout for the browser's push service, and where
// the subscription id is kept.

export const SUBSCRIBE_TIMEOUT_MS = 15000;
const ID_KEY = 'herald.subscription-id';
const STATE_CACHE = 'herald-state';

export function base64UrlToBytes(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), c => c.charCodeAt(0));
}

export function bytesToBase64Url(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  bytes.forEach(b => { binary += String.fromCharCode(b); });
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** `{ application_server_key }`: the server key the subscription was made with, when the browser tells it. */
export function madeWith(subscription) {
  const key = subscription.options && subscription.options.applicationServerKey;
  return key ? { application_server_key: bytesToBase64Url(key) } : {};
}

/** True unless the subscription was made with another server key than `serverKey`. */
export function madeWithKey(subscription, serverKey) {
  const key = subscription.options && subscription.options.applicationServerKey;
  // A browser that does not expose the key gets the benefit of the doubt: no resubscribe loop.
  return !key || bytesToBase64Url(key) === serverKey;
}

export class TimeoutError extends Error {}

export function withTimeout(promise, millis) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${millis / 1000} s`)), millis);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// The id lives in localStorage for the page and in the Cache API for the service worker,
// which cannot read localStorage but needs the id on `pushsubscriptionchange`.
function idRequest() {
  return new Request(new URL('herald-state/subscription-id', document.baseURI));
}

function storedId() {
  return localStorage.getItem(ID_KEY);
}

export async function keepId(id) {
  localStorage.setItem(ID_KEY, id);
  const cache = await caches.open(STATE_CACHE);
  await cache.put(idRequest(), new Response(id));
}

export async function forgetId() {
  localStorage.removeItem(ID_KEY);
  const cache = await caches.open(STATE_CACHE);
  await cache.delete(idRequest());
}

/** The id the service worker stored after renewing the subscription by itself, if any. */
async function workerId() {
  const cache = await caches.open(STATE_CACHE);
  const response = await cache.match(idRequest());
  return response ? response.text() : null;
}

/** The newest id this browser knows: the worker's copy is newer when it renewed the subscription by itself. */
export async function knownId() {
  return await workerId() || storedId();
}

export function isIos() {
  return /iPad|iPhone|iPod/.test(navigator.userAgent)
    || (navigator.platform === 'MacIntel' && navigator.maxTouchPoints > 1);
}

export function isStandalone() {
  return navigator.standalone === true || window.matchMedia('(display-mode: standalone)').matches;
}

export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}
