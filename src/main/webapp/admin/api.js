// The console's one way to the API: the admin token from this tab's session storage, as a Bearer header, never in a URL.
const KEY = 'herald.console.token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: value => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY)
};

/** A problem document (RFC 9457) the API answered: status, detail and, for a field error, its JSON pointer. */
export class Problem extends Error {
  constructor(status, body) {
    super(typeof body.detail === 'string' ? body.detail : `The server answered ${status}.`);
    this.status = status;
    this.pointer = typeof body.pointer === 'string' ? body.pointer : null;
    this.body = body;
  }
}

/** Calls api/<path> (relative to the console, so any context root works); answers the JSON body, throws a Problem. */
export async function call(method, path, body, bearer = token.get()) {
  const headers = { Accept: 'application/json', Authorization: `Bearer ${bearer}` };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(new URL(`../api/${path}`, document.baseURI), {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit'
  });
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { detail: `The server answered ${response.status} with a body that is not JSON.` };
  }
  if (!response.ok) {
    const problem = new Problem(response.status, json);
    if (response.status === 401 && bearer === token.get()) {
      dispatchEvent(new CustomEvent('herald:signed-out', { detail: problem.message }));
    }
    throw problem;
  }
  return json;
}
