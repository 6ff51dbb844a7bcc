// The console's shell: sign-in, the navigation and a router over the URL's fragment (#/segments, #/customers/ana, …),
// so every page has an address that can be bookmarked and the server serves one file.
import { api, session, ApiError } from "./api.js";
import { h, clear, notice } from "./dom.js";
import { segmentsPage } from "./pages/segments.js";
import { segmentPage } from "./pages/segment.js";
import { editorPage } from "./pages/editor.js";
import { membersPage } from "./pages/members.js";
import { customerPage } from "./pages/customer.js";
import { classificationPage } from "./pages/classification.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
let current = null;

const routes = [
  [/^#\/segments\/new$/, () => editorPage(null)],
  [/^#\/segments\/([^/]+)\/edit$/, (id) => editorPage(id)],
  [/^#\/segments\/([^/]+)\/members$/, (id) => membersPage(id)],
  [/^#\/segments\/([^/]+)$/, (id) => segmentPage(id)],
  [/^#\/customers(?:\/([^/]+))?$/, (id) => customerPage(id)],
  [/^#\/classification$/, () => classificationPage()],
  [/^#\/segments$/, () => segmentsPage()],
];

/** Why a key was refused, in words a person can act on. */
function signInProblem(error) {
  if (error instanceof ApiError && error.status === 401) {
    return "That API key was not accepted. Check that it is complete and has not been revoked.";
  }
  if (error instanceof ApiError) {
    return `The API refused the key (${error.status}): ${error.message}`;
  }
  return "The API could not be reached. Is the server running?";
}

function signInPage(problem) {
  const input = h("input", { id: "key", name: "key", type: "password", autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "key-help" });
  const status = h("div", { id: "sign-in-status" }, problem ? notice(problem, "error") : null);
  const form = h(
    "form",
    { class: "card narrow", "aria-labelledby": "sign-in-title" },
    h("h1", { id: "sign-in-title" }, "Sign in"),
    h("label", { for: "key" }, "API key"),
    input,
    h("p", { id: "key-help", class: "help" }, "A key with the read scope (admin to change segments and settings). It is kept in this tab only and forgotten when the tab closes."),
    h("button", { type: "submit", class: "primary" }, "Sign in"),
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    clear(status, notice("Checking the key…"));
    try {
      await signIn(key);
      route();
    } catch (error) {
      clear(status, notice(signInProblem(error), "error"));
      input.focus();
    }
  });
  return { title: "Sign in", node: form, focus: input };
}

async function signIn(key) {
  const identity = await api("/v1/keys/me", { key });
  if (!identity.scopes.includes("read")) {
    throw new ApiError(403, { detail: `this key has the scopes ${identity.scopes.join(", ")}; the console needs one with the read scope` });
  }
  session.key = key;
  session.identity = identity;
}

function signOut() {
  session.key = null;
  session.identity = null;
  location.hash = "";
  route();
}

async function route() {
  current?.stop?.();
  current = null;
  if (!session.identity && session.key) {
    try {
      await signIn(session.key);
    } catch (error) {
      session.key = null;
      return show(signInPage(signInProblem(error)));
    }
  }
  if (!session.identity) {
    nav.hidden = true;
    document.getElementById("store").textContent = "";
    return show(signInPage());
  }
  nav.hidden = false;
  document.getElementById("store").textContent = `· store ${session.identity.store}`;
  const hash = location.hash || "#/segments";
  for (const link of nav.querySelectorAll("a")) {
    link.toggleAttribute("aria-current", link.getAttribute("href") === hash);
    if (link.hasAttribute("aria-current")) {
      link.setAttribute("aria-current", "page");
    }
  }
  const match = routes.map(([pattern, page]) => [hash.match(pattern), page]).find(([m]) => m);
  if (!match) {
    return show({ title: "Not found", node: h("section", {}, h("h1", {}, "No such page"), h("p", {}, h("a", { href: "#/segments" }, "Back to the segments"))) });
  }
  const [found, page] = match;
  show(page(...found.slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p)))));
}

/** Puts a page in <main>, names the tab after it and moves focus to it, as a page load would. */
function show(page) {
  current = page;
  document.title = `${page.title} · CustomerGrains console`;
  clear(main, page.node);
  const target = page.focus ?? main.querySelector("h1") ?? main;
  if (!target.hasAttribute("tabindex") && target.tagName === "H1") {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
}

document.getElementById("sign-out").addEventListener("click", signOut);
window.addEventListener("hashchange", route);
route();
