// Jobs: the list, newest first, a page at a time (the API's cursor), each with its sent/removed/failed bar.
import { call } from './api.js';
import { stackedBar } from './chart.js';

const $ = id => document.getElementById(id);
let next = null;

export function target(report) {
  const t = report.target;
  if (!t) {
    return 'everybody';
  }
  const parts = [];
  if (t.channels) {
    parts.push(`channels ${t.channels.join(', ')}`);
  }
  if (t.users) {
    parts.push(`${t.users} user${t.users === 1 ? '' : 's'}`);
  }
  if (t.subscriptions) {
    parts.push(`${t.subscriptions} subscription${t.subscriptions === 1 ? '' : 's'}`);
  }
  return parts.join(' + ') || 'everybody';
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function item(report) {
  const li = document.createElement('li');
  li.dataset.job = report.id;
  const link = document.createElement('a');
  link.href = `#/jobs/${report.id}`;
  link.textContent = report.title || '(no title)';
  const state = document.createElement('span');
  state.className = `state ${report.state}`;
  state.textContent = report.state;
  const head = document.createElement('p');
  head.className = 'job-head';
  head.append(link, ' ', state);
  const meta = document.createElement('p');
  meta.className = 'hint';
  const when = report.finished ? `finished ${time(report.finished)}` : report.started ? `started ${time(report.started)}`
    : report.send_at ? `at ${time(report.send_at)}` : `created ${time(report.created)}`;
  meta.textContent = `${target(report)} · ${when}`;
  const counts = document.createElement('p');
  counts.className = 'hint';
  counts.textContent = `sent ${report.sent} · removed ${report.removed} · failed ${report.failed} of ${report.total}`;
  li.append(head, meta, stackedBar(report), counts);
  return li;
}

async function load(append) {
  const query = new URLSearchParams({ limit: '20' });
  if ($('jobs-state').value) {
    query.set('state', $('jobs-state').value);
  }
  if (append && next) {
    query.set('cursor', next);
  }
  const page = await call('GET', `notifications?${query}`);
  next = page.next ?? null;
  const items = page.items.map(item);
  if (append) {
    $('job-list').append(...items);
  } else {
    $('job-list').replaceChildren(...items);
  }
  $('jobs-empty').hidden = $('job-list').children.length > 0;
  $('jobs-more').hidden = !next;
}

export function init() {
  $('jobs-state').addEventListener('change', () => load(false).catch(() => {}));
  $('jobs-more').addEventListener('click', () => load(true).catch(() => {}));
}

export function show() {
  load(false).catch(() => {});
}
