// Customer lookup: one customer's profile, traits, classification, segments (since when and why) and the history of
// its entries and exits.
import { api, store } from "../api.js";
import { h, clear, notice, facts, table, format } from "../dom.js";

const HISTORY_PAGE = 20;

function profileFacts(profile) {
  const entries = Object.entries(profile);
  return entries.length
    ? facts(entries.map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)]), "Profile")
    : h("p", { class: "help" }, "No profile traits yet.");
}

function traitFacts(t) {
  return facts(
    [
      ["Orders", format.count(t.orders)],
      ["Revenue", format.number(t.revenue)],
      ["Average order", format.number(t.aov)],
      ["Refunds", format.count(t.refunds)],
      ["First order", format.time(t.firstOrderAt)],
      ["Last order", format.time(t.lastOrderAt)],
      ["First seen", format.time(t.firstSeenAt)],
      ["Last seen", format.time(t.lastSeenAt)],
      ["Events", format.count(t.events)],
      ["Events, 30 days", Object.entries(t.counts30d ?? {}).map(([k, v]) => `${k}: ${v}`).join(", ") || "—"],
    ],
    "Traits",
  );
}

function classificationFacts(c) {
  const p = c.prediction;
  return facts(
    [
      ["Value tier", c.valueTier ?? "— (no order yet)"],
      ["RFM", c.rfm ? `R ${c.rfm.r} · F ${c.rfm.f} · M ${c.rfm.m} (${c.rfm.class})` : "—"],
      ["Lifecycle", c.lifecycle],
      ["Potential", c.potential ?? "—"],
      ["Value × potential", c.valuePotential ?? "—"],
      ["P(alive)", p ? format.percent(p.pAlive) : "— (no fitted model)"],
      ["Expected orders, 90 days", p ? format.number(p.expectedOrders90d) : "—"],
      ["CLV", p ? format.number(p.clv) : "—"],
    ],
    "Classification",
  );
}

function history(id) {
  const box = h("div", {}, notice("Loading the history…"));
  const items = [];
  const more = h("button", { type: "button", hidden: true }, "Older changes");
  let cursor = null;
  let heldSince = null;
  const load = async () => {
    more.disabled = true;
    const query = new URLSearchParams({ limit: String(HISTORY_PAGE) });
    if (cursor) {
      query.set("cursor", cursor);
    }
    try {
      const page = await api(`${store("customers", id, "history")}?${query}`);
      items.push(...page.items);
      cursor = page.nextCursor;
      heldSince = page.heldSince;
      clear(
        box,
        table(
          "Entries and exits, newest first",
          ["When", "Segment", "Change", "Cause", "Version"],
          items.map((i) => [format.time(i.at), h("a", { href: `#/segments/${encodeURIComponent(i.segment)}` }, i.segment), i.kind, i.cause, i.version ?? "—"]),
          "No entries or exits held.",
        ),
        h("p", { class: "help" }, `Changes since ${format.time(heldSince)} are held.`),
      );
      more.hidden = !cursor;
    } catch (error) {
      clear(box, notice(`The history could not be read: ${error.message}`, "error"));
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener("click", load);
  load();
  return h("section", { "aria-labelledby": "history-title" }, h("h2", { id: "history-title" }, "History"), box, more);
}

export function customerPage(id) {
  const input = h("input", { id: "customer-id", name: "customer-id", type: "search", required: true, autocomplete: "off", spellcheck: "false", value: id ?? "" });
  const heading = h("h1", { id: "customer-title" }, "Customer lookup");
  const form = h(
    "form",
    { class: "lookup", role: "search" },
    h("label", { for: "customer-id" }, "Customer id"),
    input,
    h("button", { type: "submit", class: "primary" }, "Look up"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const wanted = input.value.trim();
    if (wanted) {
      location.hash = `#/customers/${encodeURIComponent(wanted)}`;
    }
  });
  const result = h("div", { id: "customer" });
  const node = h("section", { "aria-labelledby": "customer-title" }, heading, form, result);

  if (id) {
    clear(result, notice("Loading the customer…"));
    (async () => {
      try {
        const c = await api(store("customers", id));
        clear(
          result,
          h("h2", { id: "customer-name" }, c.customerId),
          c.mergedIds.length ? h("p", {}, `Also known as: ${c.mergedIds.join(", ")}`) : null,
          h("div", { class: "columns" },
            h("section", { "aria-labelledby": "profile-title" }, h("h3", { id: "profile-title" }, "Profile"), profileFacts(c.profile)),
            h("section", { "aria-labelledby": "traits-title" }, h("h3", { id: "traits-title" }, "Traits"), traitFacts(c.traits)),
            h("section", { "aria-labelledby": "class-title" }, h("h3", { id: "class-title" }, "Classification"), classificationFacts(c.classification))),
          h(
            "section",
            { "aria-labelledby": "customer-segments-title" },
            h("h2", { id: "customer-segments-title" }, "Segments"),
            table(
              "Segments the customer is in",
              ["Segment", "Entered", "Cause", "Holdout"],
              c.segments.map((s) => [h("a", { href: `#/segments/${encodeURIComponent(s.id)}` }, s.id), format.time(s.enteredAt), s.cause, s.holdout ? "control group" : "no"]),
              "In no segment now.",
            ),
          ),
          c.rawValues.length
            ? table("Profile values that could not be read", ["Field", "Value", "Reason"], c.rawValues.map((r) => [r.field, String(r.value), r.reason]))
            : null,
          history(id),
        );
      } catch (error) {
        clear(result, notice(error.status === 404 ? `There is no customer “${id}” in this store.` : `The customer could not be read: ${error.message}`, "error"));
      }
    })();
  }
  return { title: id ? `Customer ${id}` : "Customer lookup", node, focus: id ? heading : input };
}
