// Diagnostics: the VAPID doctor's checks with their fixes (GET api/diagnostics) and the keyring (GET api/vapid/keys),
// with rotation and the removal of a previous key each behind a confirmation, and removal with its subscriptions
// (?force=true) behind a second one. Everything the server says goes in as text.
import { Problem, call } from './api.js';
import { time } from './jobs.js';

const $ = id => document.getElementById(id);
let keys = [];

function element(name, className, text) {
  const node = document.createElement(name);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function button(act, className, text) {
  const node = element('button', className, text);
  node.type = 'button';
  node.dataset.act = act;
  return node;
}

function count(subscriptions) {
  return `${subscriptions} subscription${subscriptions === 1 ? '' : 's'}`;
}

function failure(problem) {
  return problem instanceof Problem ? problem.message : 'Herald could not be reached; try again.';
}

function renderChecks(findings) {
  $('diag-status').textContent = findings.status;
  $('diag-status').className = `state ${findings.status}`;
  $('diag-checks').replaceChildren(...findings.checks.map(check => {
    const li = element('li', `check ${check.status}`);
    li.dataset.check = check.name;
    li.dataset.status = check.status;
    const head = element('p', 'check-head');
    head.append(element('span', `state ${check.status}`, check.status), ' ', element('strong', 'check-name', check.name));
    li.append(head, element('p', 'detail', check.detail));
    if (check.fix) {
      const fix = element('p', 'fix');
      fix.append(element('strong', '', 'Fix: '), element('span', 'fix-text', check.fix));
      li.append(fix);
    }
    return li;
  }));
}

/** A previous key Herald keeps can be removed: confirm, then on 409 (still used) the forced removal, confirmed again. */
function removal(key) {
  const part = element('div', 'key-actions');
  const ask = element('span', 'confirm');
  ask.dataset.confirm = 'remove';
  ask.hidden = true;
  ask.append('Remove this previous key? Herald then cannot sign for what was made with it. ',
    button('remove-yes', 'danger', 'Yes, remove it'), ' ', button('no', 'secondary', 'Keep it'));
  const askForce = element('span', 'confirm');
  askForce.dataset.confirm = 'force';
  askForce.hidden = true;
  askForce.append(`Delete the ${count(key.subscriptions)} made with it as well? They get no more pushes. `,
    button('force-yes', 'danger', 'Yes, delete them too'), ' ', button('no', 'secondary', 'Keep them'));
  const error = element('p', 'error');
  error.dataset.keyError = '';
  error.setAttribute('role', 'alert');
  const force = button('force', 'danger', 'Remove it with its subscriptions…');
  force.hidden = true;
  part.append(button('remove', 'danger', 'Remove…'), ask, error, force, askForce);
  return part;
}

function renderKeys() {
  $('key-list').replaceChildren(...keys.map(key => {
    const li = element('li', 'key');
    li.dataset.fingerprint = key.fingerprint;
    li.dataset.current = String(key.current);
    li.dataset.subscriptions = String(key.subscriptions);
    const head = element('p', 'key-head');
    head.append(element('code', 'fingerprint', key.fingerprint), ' ',
      element('span', `state ${key.current ? 'done' : 'scheduled'}`, key.current ? 'current' : 'previous'));
    if (key.configured) {
      head.append(' ', element('span', 'state', 'configured'));
    }
    const facts = element('p', 'hint', `${count(key.subscriptions)}${key.created ? ` · created ${time(key.created)}` : ''}`);
    const publicKey = element('p', 'public-key');
    publicKey.append('Public key ', element('code', '', key.public_key));
    li.append(head, facts, publicKey);
    if (!key.current && !key.configured) {
      li.append(removal(key));
    }
    return li;
  }));
}

async function loadKeys() {
  keys = await call('GET', 'vapid/keys');
  renderKeys();
}

async function load() {
  $('keys-error').textContent = '';
  try {
    const [findings] = await Promise.all([call('GET', 'diagnostics'), loadKeys()]);
    renderChecks(findings);
  } catch (problem) {
    $('keys-error').textContent = failure(problem);
  }
}

async function rotate() {
  $('rotate-confirm').hidden = true;
  $('keys-error').textContent = '';
  try {
    const key = await call('POST', 'vapid/rotate');
    $('keys-result').textContent = `The new current key is ${key.fingerprint}; new subscriptions are made with it.`;
    await loadKeys();
  } catch (problem) {
    $('keys-error').textContent = failure(problem);
  }
}

async function remove(li, force) {
  const fingerprint = li.dataset.fingerprint;
  const error = li.querySelector('[data-key-error]');
  error.textContent = '';
  try {
    const done = await call('DELETE', `vapid/keys/${encodeURIComponent(fingerprint)}${force ? '?force=true' : ''}`);
    $('keys-result').textContent = `Removed the key ${done.fingerprint}` + (force ? ` and ${count(done.removed_subscriptions)}.` : '.');
    await loadKeys();
  } catch (problem) {
    error.textContent = failure(problem);
    li.querySelector('[data-act="force"]').hidden = !(problem instanceof Problem && problem.status === 409);
  }
}

function act(event) {
  const target = event.target.closest('button[data-act]');
  const li = target?.closest('li[data-fingerprint]');
  if (!li) {
    return;
  }
  const confirm = name => li.querySelector(`[data-confirm="${name}"]`);
  for (const box of li.querySelectorAll('[data-confirm]')) {
    box.hidden = true;
  }
  switch (target.dataset.act) {
    case 'remove':
      confirm('remove').hidden = false;
      confirm('remove').querySelector('[data-act="no"]').focus();
      break;
    case 'force':
      confirm('force').hidden = false;
      confirm('force').querySelector('[data-act="no"]').focus();
      break;
    case 'remove-yes':
      remove(li, false);
      break;
    case 'force-yes':
      remove(li, true);
      break;
    default:
      target.closest('.key-actions').querySelector('[data-act="remove"]').focus();
  }
}

export function init() {
  $('rotate').addEventListener('click', () => {
    $('rotate-confirm').hidden = false;
    $('rotate-no').focus();
  });
  $('rotate-no').addEventListener('click', () => {
    $('rotate-confirm').hidden = true;
  });
  $('rotate-yes').addEventListener('click', rotate);
  $('diag-again').addEventListener('click', load);
  $('key-list').addEventListener('click', act);
}

export function show() {
  $('rotate-confirm').hidden = true;
  $('keys-result').textContent = '';
  load();
}
