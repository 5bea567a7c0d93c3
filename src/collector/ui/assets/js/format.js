// How numbers, times and ids read on screen. Jaeger's API speaks in
// microseconds, so everything here takes microseconds.

export function formatDuration(us) {
  if (!Number.isFinite(us)) return '';
  if (us < 1000) return `${trim(us)}µs`;
  if (us < 1e6) return `${trim(us / 1000)}ms`;
  if (us < 60e6) return `${trim(us / 1e6)}s`;
  const minutes = Math.floor(us / 60e6);
  const seconds = Math.round((us % 60e6) / 1e6);
  return seconds ? `${minutes}m${seconds}s` : `${minutes}m`;
}

// Three significant digits at most, without trailing zeros.
function trim(n) {
  return String(Number(n.toPrecision(3)));
}

// "2024-05-01 12:03:04.123" in the viewer's time zone.
export function formatTime(us) {
  const d = new Date(us / 1000);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
      `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.` +
      `${pad(d.getMilliseconds(), 3)}`;
}

export function formatAgo(us, nowMs = Date.now()) {
  const seconds = Math.round((nowMs - us / 1000) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 90) return `${seconds}s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}

// Go-style durations as the API takes them ("1h", "15m"), to microseconds.
const UNITS = {ns: 1e-3, us: 1, 'µs': 1, ms: 1e3, s: 1e6, m: 60e6, h: 3600e6};
export function parseDuration(text) {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m; (m = re.exec(text));) {
    total += Number(m[1]) * UNITS[m[2]];
    matched = re.lastIndex;
  }
  return text && matched === text.length ? total : null;
}

// Jaeger's tag search syntax (logfmt): key=value pairs separated by spaces,
// values quoted when they hold spaces. Returns an object, or throws with a
// message the form shows.
export function parseLogfmt(text) {
  const tags = {};
  const re = /\s*([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))\s*/gy;
  let end = 0;
  for (let m; (m = re.exec(text));) {
    tags[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
    end = re.lastIndex;
  }
  if (text.trim() && end !== text.length) {
    throw new Error(`cannot read tags near "${text.slice(end, end + 20)}": use key=value`);
  }
  return tags;
}

// Colours for a set of services: each starts from a hash of its name, so a
// service tends to keep its colour across pages and reloads, then moves to
// the next free slot so that services shown together never share one (up
// to the palette's size). Returns a Map name -> colour.
const PALETTE = ['#4e79d4', '#38a77e', '#e08a2c', '#9a63c9', '#d2558b', '#2f9fb8',
  '#8c8c2a', '#c4623b', '#5a6fb0', '#6c9a45', '#b5487a', '#3b8a8a'];
export function serviceColors(names) {
  const colors = new Map();
  const used = new Set();
  for (const name of [...new Set(names)].sort()) {
    if (used.size === PALETTE.length) used.clear();
    let slot = hash(name) % PALETTE.length;
    while (used.has(slot)) slot = (slot + 1) % PALETTE.length;
    used.add(slot);
    colors.set(name, PALETTE[slot]);
  }
  return colors;
}

function hash(text) {
  let h = 2166136261;  // FNV-1a
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

// Tag values as text: JSON-encoded arrays and maps are shown as sent.
export function tagValue(tag) {
  return typeof tag.value === 'string' ? tag.value : JSON.stringify(tag.value);
}
