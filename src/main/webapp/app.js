// The subscribe page: one state at a time on #herald[data-state], announced in #status.
import * as api from './api.js';
import {
  SUBSCRIBE_TIMEOUT_MS, TimeoutError, base64UrlToBytes, forgetId, isIos, isStandalone, keepId, knownId,
  madeWith, madeWithKey, pushSupported, withTimeout
} from './push.js';

const root = document.getElementById('herald');
const $ = id => document.getElementById(id);

let registration = null;
let serverKey = null;
let current = null; // { subscription, id } while subscribed
let declared = []; // the operator's channels, [{ id, label }]
let saved = []; // the channel ids the server has for `current`

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
  // no choosing while the page waits for the browser or the server: the choice is already on its way
  for (const fieldset of document.querySelectorAll('fieldset')) {
    fieldset.disabled = state === 'loading' || state === 'subscribing';
  }
  setChannelStatus('');
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
  const [key, channels] = await Promise.all([api.publicKey(), api.channels()]);
  serverKey = key;
  offerChannels(channels);
  if (Notification.permission === 'denied') {
    return show.denied();
  }
  const subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    const staleId = await knownId();
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
    const oldId = await knownId();
    await subscription.unsubscribe();
    show.subscribing();
    return subscribeNow('The server’s key changed, so this browser subscribed again.', oldId ? { replaces: oldId } : {});
  }
  let id = await knownId();
  const record = id ? await api.stored(id) : null;
  let channels = record && record.channels;
  let note = '';
  if (!record || record.endpoint !== subscription.endpoint) {
    // a record of another endpoint is this browser's previous subscription: the new one replaces it,
    // and the server moves its channels over and deletes it
    id = await api.register(subscription.toJSON(), { ...madeWith(subscription), ...(record ? { replaces: id } : {}) });
    channels = declared.length ? ((await api.stored(id)) || {}).channels : [];
    note = 'The server had no record of this browser’s subscription, so it was registered again.';
  } else if (api.timeZone() && record.timezone !== api.timeZone()) {
    // stored before the page sent zones, or the visitor's zone changed: the same endpoint keeps its id
    id = await api.register(subscription.toJSON());
  }
  await keepId(id);
  current = { subscription, id };
  showSaved(channels);
  return show.subscribed(note);
}

/**
 * Subscribes this browser, naming what `also` holds: the visitor's `channels`, or the id the new
 * subscription `replaces` (the server moves the old one's channels over and deletes it).
 */
async function subscribeNow(note = '', also = {}) {
  const subscription = await withTimeout(registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(serverKey)
  }), SUBSCRIBE_TIMEOUT_MS);
  const id = await api.register(subscription.toJSON(), { ...madeWith(subscription), ...also });
  await keepId(id);
  current = { subscription, id };
  // what the server has now: the chosen channels, else what it kept or moved over
  showSaved(also.channels || (declared.length ? ((await api.stored(id)) || {}).channels : []));
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
  return subscribeNow('', { channels: chosenChannels() });
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

// The operator's channels as checkboxes. Before subscribing, the checked ones go with the subscribe;
// after it, every change replaces the stored set (PUT), one request at a time, always the whole set.
let saving = null; // the save in flight
let changed = false; // a box changed since that save read the boxes

function offerChannels(channels) {
  declared = channels;
  if (!$('channels')) {
    return;
  }
  if (channels.length === 0) {
    $('channels').remove(); // none declared: the page as it is without channels, no empty group
    return;
  }
  $('channel-list').replaceChildren(...channels.map(channel => {
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.name = 'channel';
    box.id = `channel-${channel.id}`;
    box.value = channel.id;
    box.addEventListener('change', onChannelChange);
    const text = document.createElement('span');
    text.textContent = channel.label;
    const label = document.createElement('label');
    label.className = 'channel';
    label.htmlFor = box.id;
    label.append(box, text);
    return label;
  }));
}

/** The ids of the checked boxes; undefined without channels, so that a subscribe names none. */
function chosenChannels() {
  return declared.length ? [...document.querySelectorAll('#channel-list input:checked')].map(box => box.value) : undefined;
}

/** Checks the boxes of what the server has. */
function showSaved(ids) {
  saved = Array.isArray(ids) ? ids : [];
  for (const box of document.querySelectorAll('#channel-list input')) {
    box.checked = saved.includes(box.value);
  }
}

function setChannelStatus(text, failed = false) {
  const status = $('channels-status');
  if (status) {
    status.textContent = text;
    status.classList.toggle('failed', failed);
  }
}

function onChannelChange() {
  if (!current) {
    return; // not subscribed (yet): the boxes go with the subscribe
  }
  changed = true;
  saving = saving || saveChannels(current.id).finally(() => { saving = null; });
}

async function saveChannels(id) {
  const fieldset = $('channels');
  fieldset.setAttribute('aria-busy', 'true');
  setChannelStatus('Saving…');
  let failure = null;
  while (changed) {
    changed = false;
    try {
      saved = (await api.setChannels(id, chosenChannels())).channels;
      failure = null;
    } catch (error) {
      failure = error;
    }
  }
  fieldset.setAttribute('aria-busy', 'false');
  if (!current || current.id !== id) {
    return; // unsubscribed meanwhile: that state has its own message
  }
  if (failure) {
    showSaved(saved);
    setChannelStatus(`Not saved: ${failure.detail || failure.message} The boxes show your last saved choice.`, true);
  } else {
    const labels = saved.map(channelId => (declared.find(channel => channel.id === channelId) || { label: channelId }).label);
    setChannelStatus(labels.length ? `Saved: ${labels.join(', ')}.` : 'Saved: no channels.');
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
