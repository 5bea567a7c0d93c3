// The query API on the same origin (query/query_server.h). Every answer is
// Jaeger's envelope {data, errors}; a non-empty `errors` becomes a thrown
// Error carrying the server's message, so views show why, not just "failed".

async function get(path) {
  let response;
  try {
    response = await fetch(path, {headers: {Accept: 'application/json'}});
  } catch (e) {
    throw new Error(`cannot reach the collector (${e.message})`);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page, say): fall through to the status.
  }
  if (body && Array.isArray(body.errors) && body.errors.length) {
    const error = new Error(body.errors.map((e) => e.msg).join('; '));
    error.status = response.status;
    throw error;
  }
  if (!response.ok || !body) {
    const error = new Error(`${path}: HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return body.data;
}

export const services = () => get('/api/services');

export const operations = (service) =>
  get(`/api/services/${encodeURIComponent(service)}/operations`);

// `query` holds the API's own parameter names (service, tags, start, ...).
export function findTraces(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  return get(`/api/traces?${params}`);
}

export async function trace(id) {
  const data = await get(`/api/traces/${encodeURIComponent(id)}`);
  return data[0];
}

export const traceLogs = (id) => get(`/api/traces/${encodeURIComponent(id)}/logs`);
