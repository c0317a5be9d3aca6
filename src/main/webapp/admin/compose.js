// Compose: the form, a live preview beside it, and a dry run as you type (reach and payload bytes, or the server's
// problem beside its field); Send posts the same body without dry_run and opens the job.
import { Problem, call } from './api.js';
import { clearErrors, showError } from './fields.js';

export const LIMIT = 3993;
const $ = id => document.getElementById(id);
const form = () => $('compose-form');
let timer = null;
let sequence = 0;
let channelsLoaded = false;

function value(id) {
  return $(id).value.trim();
}

function list(id) {
  return value(id).split(/[\s,]+/).filter(Boolean);
}

function choice(name) {
  return form().querySelector(`input[name="${name}"]:checked`).value;
}

/** What the form says, as the notify body (empty fields left out: absent means default). */
export function body() {
  const json = {};
  for (const input of form().querySelectorAll('[data-field]')) {
    const name = input.dataset.field;
    if (input.type === 'checkbox') {
      if (input.checked) {
        json[name] = true;
      }
    } else if (input.value.trim() !== '') {
      json[name] = input.type === 'number' ? Number(input.value) : input.value.trim();
    }
  }
  const actions = [...form().querySelectorAll('[data-action]')].map(row => {
    const action = {};
    for (const input of row.querySelectorAll('[data-action-field]')) {
      if (input.value.trim() !== '') {
        action[input.dataset.actionField] = input.value.trim();
      }
    }
    return action;
  }).filter(action => Object.keys(action).length > 0);
  if (actions.length > 0) {
    json.actions = actions;
  }
  const audience = choice('audience');
  if (audience === 'channels') {
    json.channels = [...$('channel-boxes').querySelectorAll('input:checked')].map(box => box.value);
  } else if (audience === 'users') {
    json.users = list('f-users');
  } else if (audience === 'subscriptions') {
    json.subscriptions = list('f-subscriptions');
  }
  const when = choice('when');
  if (when === 'at' && value('f-send-at')) {
    const at = new Date(value('f-send-at'));
    json.send_at = Number.isNaN(at.getTime()) ? value('f-send-at') : at.toISOString();
  } else if (when === 'local' && value('f-local-time')) {
    json.local_time = value('f-local-time');
  }
  if (value('f-throttle')) {
    json.throttle_per_minute = Number(value('f-throttle'));
  }
  return json;
}

/** The preview: text as typed (textContent only), images only from https or this origin. */
function preview() {
  const json = body();
  $('p-origin').textContent = location.host;
  $('p-title').textContent = json.title ?? 'Title';
  $('p-title').classList.toggle('placeholder', !json.title);
  $('p-body').textContent = json.body ?? '';
  setImage($('p-icon'), json.icon, '../icons/icon-192.png');
  setImage($('p-image'), json.image, null);
  $('p-actions').replaceChildren(...(json.actions ?? []).map(action => {
    const button = document.createElement('span');
    button.className = 'button';
    button.textContent = action.title ?? action.action ?? '';
    return button;
  }));
  $('p-sticky').hidden = !json.require_interaction;
}

function setImage(img, link, fallback) {
  const usable = typeof link === 'string' && (/^https:\/\/[^/]/i.test(link) || /^\/[^/\\]/.test(link));
  const source = usable ? new URL(link, location.origin).href : fallback;
  if (source === null) {
    img.hidden = true;
    img.removeAttribute('src');
  } else {
    img.hidden = false;
    if (img.src !== source) {
      img.src = source;
    }
  }
}

function showBytes(bytes, text = null) {
  const over = bytes !== null && bytes > LIMIT;
  $('bytes').textContent = text ?? String(bytes);
  $('bytes').classList.toggle('over', over);
  $('bytes-meter').value = Math.min(bytes ?? 0, LIMIT);
  $('bytes-meter').dataset.over = String(over);
}

/** The dry run: what a send would reach and weigh; a refused body shows why, beside its field. */
async function dryRun() {
  const mine = ++sequence;
  const json = { ...body(), dry_run: true };
  if (!json.title) {
    json.title = 'T'; // size and reach before a title is typed (one byte stands in for it); the title's own rule shows on Send
  }
  // a target list still empty reaches nobody yet; its own rule (non-empty) shows on Send
  const empty = ['channels', 'users', 'subscriptions'].filter(name => Array.isArray(json[name]) && json[name].length === 0);
  empty.forEach(name => delete json[name]);
  try {
    const answer = await call('POST', 'notify', json);
    if (mine !== sequence) {
      return;
    }
    clearErrors(form());
    $('reach').textContent = String(empty.length > 0 ? 0 : answer.reach);
    showBytes(answer.payload_bytes);
  } catch (problem) {
    if (mine !== sequence || !(problem instanceof Problem)) {
      return;
    }
    clearErrors(form());
    if (problem.status === 413) {
      const size = /payload is (\d+) bytes/.exec(problem.message);
      showBytes(size ? Number(size[1]) : LIMIT + 1, size ? size[1] : `over ${LIMIT}`);
      showError(form(), null, problem.message);
    } else {
      showError(form(), problem.pointer, problem.message);
    }
  }
}

function changed() {
  preview();
  clearTimeout(timer);
  timer = setTimeout(dryRun, 250);
}

async function send(event) {
  event.preventDefault();
  clearErrors(form());
  $('send').disabled = true;
  try {
    const answer = await call('POST', 'notify', body());
    location.hash = `#/jobs/${answer.id}`;
  } catch (problem) {
    showError(form(), problem instanceof Problem ? problem.pointer : null, problem.message);
  } finally {
    $('send').disabled = false;
  }
}

/** A test: the same notification, now, to one subscription id only. */
async function sendTest() {
  clearErrors(form());
  $('test-result').textContent = '';
  const json = body();
  for (const name of ['channels', 'users', 'send_at', 'local_time', 'throttle_per_minute']) {
    delete json[name];
  }
  json.subscriptions = [value('f-test-id')];
  try {
    const answer = await call('POST', 'notify', json);
    $('test-result').textContent = `Sent as job ${answer.id}.`;
  } catch (problem) {
    const pointer = problem instanceof Problem ? problem.pointer : null;
    showError(form(), pointer?.startsWith('/subscriptions') ? 'test' : pointer, problem.message);
  }
}

async function loadChannels() {
  const declared = await call('GET', 'channels');
  $('channel-boxes').replaceChildren(...(Array.isArray(declared) ? declared : []).map(channel => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = channel.id;
    label.append(box, ` ${channel.label} (${channel.id})`);
    return label;
  }));
  if (!Array.isArray(declared) || declared.length === 0) {
    $('channel-boxes').textContent = 'No channels are declared (herald.channels).';
  }
  channelsLoaded = true;
}

function showChosen() {
  for (const node of form().querySelectorAll('[data-audience]')) {
    node.hidden = node.dataset.audience !== choice('audience');
  }
  for (const node of form().querySelectorAll('[data-when]')) {
    node.hidden = node.dataset.when !== choice('when');
  }
}

export function init() {
  form().addEventListener('input', changed);
  form().addEventListener('change', () => {
    showChosen();
    changed();
  });
  form().addEventListener('submit', send);
  $('send-test').addEventListener('click', sendTest);
  showChosen();
  preview();
}

export async function show() {
  if (!channelsLoaded) {
    await loadChannels().catch(() => {});
  }
  changed();
}

export function hide() {
  clearTimeout(timer);
}
