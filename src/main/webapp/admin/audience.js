// The audience overview (GET api/audience): totals, and bar charts per channel, push service and VAPID key (by
// fingerprint, as Diagnostics lists the keys).
import { call } from './api.js';
import { barChart } from './chart.js';

const $ = id => document.getElementById(id);

function entries(counts) {
  return Object.entries(counts ?? {}).sort(([, a], [, b]) => b - a);
}

export async function show() {
  const overview = await call('GET', 'audience').catch(() => null);
  if (!overview) {
    return;
  }
  $('audience-total').textContent = String(overview.subscriptions);
  $('audience-users').textContent = String(overview.users);
  $('audience-charts').replaceChildren(barChart('Per channel', entries(overview.channels), 'channels'),
    barChart('Per push service', entries(overview.push_services), 'push_services'),
    barChart('Per VAPID key', entries(overview.vapid_keys), 'vapid_keys'));
}
