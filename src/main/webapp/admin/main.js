// The console: one view at a time on #console[data-view], chosen by the URL's hash (#/compose, #/jobs, #/jobs/<id>, #/audience, #/diagnostics).
import { Problem, call, token } from './api.js';
import * as compose from './compose.js';
import * as jobs from './jobs.js';
import * as job from './job.js';
import * as audience from './audience.js';
import * as diagnostics from './diagnostics.js';

const root = document.getElementById('console');
const $ = id => document.getElementById(id);

/** Each view: show(...parts of the hash) when it appears, hide() when another one does. */
const views = { compose, jobs, job, audience, diagnostics };
let current = null;

function notice(text) {
  $('notice').textContent = text;
  $('notice').hidden = !text;
}

function showView(name, args = []) {
  if (current && current !== views[name]) {
    current.hide?.();
  }
  root.dataset.view = name;
  for (const node of document.querySelectorAll('[data-show]')) {
    node.hidden = node.dataset.show !== name;
  }
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.view === name || (name === 'job' && link.dataset.view === 'jobs')) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  $('nav').hidden = name === 'sign-in';
  current = views[name] ?? null;
  current?.show(...args);
}

function route() {
  if (!token.get()) {
    showView('sign-in');
    $('token').focus();
    return;
  }
  const [, name = 'compose', ...args] = location.hash.split('/');
  if (name === 'jobs' && args.length > 0) {
    showView('job', args);
  } else {
    showView(views[name] ? name : 'compose');
  }
}

/** The sign-in answer of GET api/audience (admin only) says whether the token is right, and is an admin one. */
async function signIn(event) {
  event.preventDefault();
  const value = $('token').value.trim();
  const error = $('sign-in-error');
  error.textContent = '';
  $('token').removeAttribute('aria-invalid');
  if (!value) {
    error.textContent = 'Enter the admin API token.';
    return;
  }
  try {
    await call('GET', 'audience', undefined, value);
    token.set(value);
    $('token').value = '';
    notice('');
    route();
  } catch (problem) {
    $('token').setAttribute('aria-invalid', 'true');
    error.textContent = !(problem instanceof Problem) ? 'Herald could not be reached; try again.'
      : problem.status === 401 ? `That token was not accepted: ${problem.message}`
        : problem.status === 403 ? 'That is a send token; the console needs an admin token.'
          : problem.message;
  }
}

$('sign-in-form').addEventListener('submit', signIn);
$('sign-out').addEventListener('click', () => {
  token.clear();
  notice('');
  route();
});
addEventListener('herald:signed-out', event => {
  token.clear();
  notice(`Signed out: ${event.detail}`);
  route();
});
addEventListener('hashchange', route);
compose.init();
jobs.init();
job.init();
diagnostics.init();
route();
