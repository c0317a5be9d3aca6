// One job: its report, polled while it is scheduled or running (at least once a second, no EventSource: that cannot
// send the Authorization header), with failures by reason, engagement, and Cancel behind a confirmation.
import { Problem, call } from './api.js';
import { stackedBar } from './chart.js';
import { target, time } from './jobs.js';

const $ = id => document.getElementById(id);
const LIVE = new Set(['scheduled', 'running']);
let id = null;
let timer = null;

function pairs(dl, entries) {
  dl.replaceChildren(...entries.flatMap(([term, value]) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    dd.dataset.count = term;
    return [dt, dd];
  }));
}

function render(report) {
  const settled = report.sent + report.removed + report.failed;
  $('job-title').textContent = report.title || '(no title)';
  $('job-state').textContent = report.state;
  $('job-state').className = `state ${report.state}`;
  $('job-target').textContent = target(report);
  $('job-progress').max = Math.max(1, report.total);
  $('job-progress').value = report.state === 'done' && report.total === 0 ? 1 : settled;
  $('job-progress').dataset.settled = String(settled);
  $('job-progress').dataset.total = String(report.total);
  $('job-progress-text').textContent = `${settled} of ${report.total}`;
  $('job-bar').replaceChildren(stackedBar(report));
  pairs($('job-counts'), [['sent', report.sent], ['removed', report.removed], ['failed', report.failed], ['pending', report.pending]]);
  pairs($('job-times'), [['created', time(report.created)], ['send at', time(report.send_at)], ['started', time(report.started)],
    ['finished', time(report.finished)], ...(report.local_time ? [['local time', report.local_time], ['waiting', report.waiting]] : []),
    ...(report.throttle_per_minute ? [['throttle a minute', report.throttle_per_minute], ['expected end', time(report.expected_end)]] : [])]
    .filter(([, value]) => value !== ''));
  const failures = Object.entries(report.failures ?? {});
  $('job-failures').replaceChildren(...(failures.length ? failures : [['none', '']]).map(([reason, count]) => {
    const li = document.createElement('li');
    li.textContent = count === '' ? 'None.' : `${reason}: ${count}`;
    return li;
  }));
  const e = report.engagement ?? {};
  pairs($('job-engagement'), [['shown', e.shown ?? 0], ['clicked', e.clicked ?? 0], ['closed', e.closed ?? 0],
    ...Object.entries(e.actions ?? {}).map(([action, count]) => [`action ${action}`, count])]);
  document.querySelector('[data-cancellable]').hidden = !LIVE.has(report.state);
}

async function refresh() {
  const mine = id;
  try {
    const report = await call('GET', `notifications/${mine}`);
    if (mine !== id) {
      return;
    }
    render(report);
    if (LIVE.has(report.state)) {
      timer = setTimeout(refresh, report.state === 'running' ? 500 : 1000);
    }
  } catch (problem) {
    if (mine === id) {
      $('job-title').textContent = problem instanceof Problem ? problem.message : 'Herald could not be reached.';
      timer = setTimeout(refresh, 1000);
    }
  }
}

async function cancel() {
  $('job-confirm').hidden = true;
  try {
    render(await call('DELETE', `notifications/${id}`));
  } catch (problem) {
    $('job-target').textContent = problem.message;
  }
}

export function init() {
  $('job-cancel').addEventListener('click', () => {
    $('job-confirm').hidden = false;
    $('job-confirm-no').focus();
  });
  $('job-confirm-no').addEventListener('click', () => {
    $('job-confirm').hidden = true;
  });
  $('job-confirm-yes').addEventListener('click', cancel);
}

export function show(jobId) {
  clearTimeout(timer);
  id = jobId;
  $('job-confirm').hidden = true;
  $('job-title').textContent = '…';
  refresh();
}

export function hide() {
  clearTimeout(timer);
  id = null;
}
