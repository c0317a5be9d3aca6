// Small SVG charts drawn by the page (no library): horizontal bars with their label above and their count beside.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 340;
const ROW = 34;

function node(name, attributes = {}, text = null) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) {
    element.setAttribute(key, String(value));
  }
  if (text !== null) {
    element.textContent = text;
  }
  return element;
}

/** A figure with a caption and one bar per [label, count]; each bar carries data-label and data-count. */
export function barChart(caption, entries, name) {
  const figure = document.createElement('figure');
  figure.className = 'chart';
  figure.dataset.chart = name;
  const title = document.createElement('figcaption');
  title.textContent = caption;
  figure.append(title);
  if (entries.length === 0) {
    const none = document.createElement('p');
    none.className = 'hint';
    none.textContent = 'None yet.';
    figure.append(none);
    return figure;
  }
  const most = Math.max(1, ...entries.map(([, count]) => count));
  const svg = node('svg', { viewBox: `0 0 ${WIDTH} ${entries.length * ROW}`, role: 'img', class: 'bars',
    'aria-label': entries.map(([label, count]) => `${label}: ${count}`).join(', ') });
  entries.forEach(([label, count], i) => {
    const y = i * ROW;
    const group = node('g', { 'data-label': label, 'data-count': count });
    group.append(node('text', { x: 0, y: y + 12, class: 'label' }, label));
    group.append(node('rect', { x: 0, y: y + 16, height: 12, rx: 2, width: Math.max(2, (WIDTH - 60) * count / most), class: 'bar' }));
    group.append(node('text', { x: WIDTH, y: y + 27, 'text-anchor': 'end', class: 'count' }, String(count)));
    group.append(node('title', {}, `${label}: ${count}`));
    svg.append(group);
  });
  figure.append(svg);
  return figure;
}

/** One stacked bar of a job: sent, removed, failed and pending, as parts of the total. */
export function stackedBar(report) {
  const total = Math.max(1, report.total);
  const parts = [['sent', report.sent], ['removed', report.removed], ['failed', report.failed], ['pending', report.pending]];
  const svg = node('svg', { viewBox: '0 0 100 6', preserveAspectRatio: 'none', role: 'img', class: 'stacked',
    'aria-label': parts.map(([name, count]) => `${name} ${count}`).join(', ') + ` of ${report.total}` });
  let x = 0;
  for (const [name, count] of parts) {
    const width = 100 * count / total;
    if (width > 0) {
      svg.append(node('rect', { x, y: 0, width, height: 6, class: name, 'data-part': name, 'data-count': count }));
    }
    x += width;
  }
  return svg;
}
