// The subscribe page: one state at a time on #herald[data-state], announced in #status.
import * as api from './api.js';
import {
  SUBSCRIBE_TIMEOUT_MS, TimeoutError, base64UrlToBytes, forgetId, isIos, isStandalone, keepId,
  madeWithKey, pushSupported, storedId, withTimeout, workerId
} from './push.js';

const root = document.getElementById('herald');
const $ = id => document.getElementById(id);

let registration = null;
let serverKey = null;
let current = null; // { subscription, id } while subscribed

function render(state, { title, text, list = [], note = '' }) {
  root.dataset.state = state;
  root.setAttribute('aria-busy', String(state === 'loading' || state === 'subscribing'));
  $('status-title').textContent = title;
  $('status-text').textContent = text;
  $('status-list').replaceChildren(...list.map(item => {
    const li = document.createElement('li');
    li.textContent = item;
    return li;
  }));
  $('status-list').hidden = list.length === 0;
  setNote(note);
  for (const node of document.querySelectorAll('[data-show]')) {
    node.hidden = !node.dataset.show.split(' ').includes(state);
  }
  for (const button of document.querySelectorAll('button')) {
    button.disabled = false;
  }
}

function setNote(note) {
  $('status-note').textContent = note;
  $('status-note').hidden = !note;
}

const show = {
  unsupported: (note = '') => render('unsupported', {
    title: 'This browser cannot receive notifications',
    text: 'It lacks service workers, the Push API or notifications. A current Chrome, Edge, Firefox or Safari can.',
    note
  }),
  iosInstall: () => render('ios-install', {
    title: 'Add this site to your Home Screen first',
    text: 'On iPhone and iPad, Safari allows notifications only for sites opened from the Home Screen:',
    list: [
      'Tap the Share button in Safari.',
      'Choose “Add to Home Screen”.',
      'Open the site from its new Home Screen icon and turn on notifications there.'
    ]
  }),
  default: (note = '') => render('default', {
    title: 'Notifications are off',
    text: 'Turn them on and your browser asks for your permission. You can turn them off again at any time.',
    note
  }),
  subscribing: () => render('subscribing', {
    title: 'Turning notifications on…',
    text: 'Waiting for your browser and its push service. This usually takes a second or two.'
  }),
  subscribed: (note = '') => {
    render('subscribed', {
      title: 'Notifications are on',
      text: 'This browser shows notifications from this site, even while the page is closed.',
      note
    });
    $('subscription-id').textContent = current.id;
    $('subscription-json').textContent = JSON.stringify(current.subscription.toJSON(), null, 2);
  },
  denied: () => render('denied', {
    title: 'Notifications are blocked',
    text: 'Notifications for this site are blocked in your browser. To allow them again:',
    list: [
      'Chrome, Edge: click the icon left of the address, open “Site settings” and set Notifications to “Allow”.',
      'Firefox: click the permissions icon in the address bar and clear “Blocked” for notifications.',
      'Safari: Settings › Websites › Notifications, choose “Allow” for this site.',
      'Then reload this page.'
    ]
  }),
  unsubscribed: list => render('unsubscribed', {
    title: 'Notifications are off',
    text: 'You unsubscribed: this browser gets no more notifications from this site.',
    list
  }),
  pushError: (title, text) => render('push-error', { title, text }),
  serverError: (error, list = []) => render('server-error', {
    title: error.status === 0 ? 'The server cannot be reached'
      : error.status >= 500 ? `The server has a problem (HTTP ${error.status})`
        : `The server refused the request (HTTP ${error.status})`,
    text: error.detail,
    list
  })
};

function fail(error) {
  if (error instanceof api.ServerError) {
    show.serverError(error);
  } else if (error instanceof TimeoutError) {
    show.pushError('Your browser’s push service did not answer',
      `No answer within ${SUBSCRIBE_TIMEOUT_MS / 1000} seconds. Check your internet connection (some networks and privacy `
      + 'settings block push services; Brave, for one, needs “Use Google services for push messaging”) and try again.');
  } else if (error && error.name === 'NotAllowedError' && Notification.permission === 'denied') {
    show.denied();
  } else {
    show.pushError('Your browser could not subscribe', `It said: ${error && error.message ? error.message : error}`);
  }
}

async function start() {
  if (isIos() && !isStandalone()) {
    return show.iosInstall();
  }
  if (!pushSupported()) {
    return show.unsupported();
  }
  try {
    await navigator.serviceWorker.register('sw.js', { updateViaCache: 'none' });
    registration = await navigator.serviceWorker.ready;
  } catch (error) {
    return show.unsupported(`The service worker could not be registered: ${error.message}`);
  }
  serverKey = await api.publicKey();
  if (Notification.permission === 'denied') {
    return show.denied();
  }
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    const staleId = storedId();
    if (staleId) {
      // the browser dropped its subscription (site data or permission reset): so does the server
      await api.unregister(staleId).catch(() => {});
      await forgetId();
    }
    return show.default();
  }
  return reconcile(subscription);
}

/** An existing browser subscription: make sure the server knows it, with the current key. */
async function reconcile(subscription) {
  if (!madeWithKey(subscription, serverKey)) {
    const oldId = storedId();
    await subscription.unsubscribe();
    if (oldId) {
      await api.unregister(oldId).catch(() => {});
      await forgetId();
    }
    show.subscribing();
    return subscribeNow('The server’s key changed, so this browser subscribed again.');
  }
  let id = storedId() || await workerId();
  const record = id ? await api.stored(id) : null;
  let note = '';
  if (!record || record.endpoint !== subscription.endpoint) {
    if (record) {
      await api.unregister(id);
    }
    id = await api.register(subscription.toJSON());
    note = 'The server had no record of this browser’s subscription, so it was registered again.';
  } else if (api.timeZone() && record.timezone !== api.timeZone()) {
    // stored before the page sent zones, or the visitor's zone changed: the same endpoint keeps its id
    id = await api.register(subscription.toJSON());
  }
  await keepId(id);
  current = { subscription, id };
  return show.subscribed(note);
}

async function subscribeNow(note = '') {
  const subscription = await withTimeout(registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(serverKey)
  }), SUBSCRIBE_TIMEOUT_MS);
  const id = await api.register(subscription.toJSON());
  await keepId(id);
  current = { subscription, id };
  show.subscribed(note);
}

async function onSubscribe() {
  disableButtons();
  let permission = Notification.permission;
  if (permission !== 'granted') {
    permission = await Notification.requestPermission();
  }
  if (permission === 'denied') {
    return show.denied();
  }
  if (permission !== 'granted') {
    return show.default('You closed the permission prompt without choosing. Click the button again to choose.');
  }
  show.subscribing();
  return subscribeNow();
}

async function onUnsubscribe() {
  disableButtons();
  const { subscription, id } = current;
  const [server, browser] = await Promise.allSettled([api.unregister(id), subscription.unsubscribe()]);
  const list = [
    server.status === 'fulfilled' ? 'Server: your subscription is deleted.'
      : `Server: your subscription could not be deleted (${server.reason.detail || server.reason.message}).`,
    browser.status === 'fulfilled' && browser.value !== false ? 'Browser: unsubscribed from its push service.'
      : `Browser: could not unsubscribe from its push service${browser.reason ? ` (${browser.reason.message})` : ''}.`
  ];
  current = null;
  if (server.status === 'rejected') {
    return show.serverError(server.reason, list);
  }
  await forgetId();
  return show.unsubscribed(list);
}

async function onSendTest() {
  const button = $('send-test');
  button.disabled = true;
  setNote('Sending a test notification…');
  try {
    const result = await api.sendTest(current.id);
    if (result.outcome === 'delivered') {
      setNote('Test notification sent: it should appear in a moment.');
    } else if (result.outcome === 'gone') {
      setNote('Your browser’s push service says this subscription no longer exists. Reload the page to subscribe again.');
    } else {
      setNote(`The push service did not take the test notification (${result.reason || result.outcome}). Try again later.`);
    }
  } catch (error) {
    setNote(error instanceof api.ServerError ? `No test notification: ${error.detail}` : `No test notification: ${error.message}`);
  } finally {
    button.disabled = false;
  }
}

function disableButtons() {
  for (const button of document.querySelectorAll('button')) {
    button.disabled = true;
  }
}

function guarded(action) {
  return () => action().catch(fail);
}

$('subscribe').addEventListener('click', guarded(onSubscribe));
$('unsubscribe').addEventListener('click', guarded(onUnsubscribe));
$('send-test').addEventListener('click', guarded(onSendTest));
$('retry').addEventListener('click', guarded(() => {
  render('loading', { title: 'Checking again…', text: 'One moment.' });
  return start();
}));

start().catch(fail);
