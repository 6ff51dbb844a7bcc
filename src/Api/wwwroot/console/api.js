// The console's only way to the API: every request carries the key the person signed in with, kept in this tab's
// sessionStorage (gone when the tab closes; never localStorage or a cookie, so no other tab or later visit has it).

const KEY_ITEM = "customergrains.console.key";

/** An answer other than 2xx, with the problem details the API sent (RFC 9457). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `the API answered ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** Field errors `{index, field, reason, position?}`, as the API lists them on a 400. */
  get errors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

export const session = {
  get key() {
    return sessionStorage.getItem(KEY_ITEM);
  },
  set key(value) {
    if (value) {
      sessionStorage.setItem(KEY_ITEM, value);
    } else {
      sessionStorage.removeItem(KEY_ITEM);
    }
  },
  /** The key's store and scopes, from GET /v1/keys/me; held in memory only. */
  identity: null,
};

/** Sends a request with the session's key; resolves to the parsed JSON (or null for 204), rejects with ApiError. */
export async function api(path, { method = "GET", body, signal, key = session.key } = {}) {
  const headers = { Accept: "application/json" };
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    credentials: "omit",
    cache: "no-store",
  });
  if (response.status === 204) {
    return null;
  }
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

/** The route of the signed-in store, e.g. store("segments", id, "count") → /v1/stores/demo/segments/<id>/count. */
export function store(...parts) {
  const name = session.identity?.store;
  if (!name) {
    throw new Error("not signed in");
  }
  return ["/v1/stores", name, ...parts].map((p, i) => (i === 0 ? p : encodeURIComponent(p))).join("/");
}

export function can(scope) {
  return session.identity?.scopes?.includes(scope) ?? false;
}
