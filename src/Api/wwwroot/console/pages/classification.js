// A store's classification settings: value-tier revenue thresholds (fixed, or percentiles when left empty) and the
// lifecycle stages' days (GET/PUT …/classification).
import { api, store, can, ApiError } from "../api.js";
import { h, clear, notice } from "../dom.js";

const fields = [
  ["highFrom", "High value from (revenue)", "Empty, with medium empty too: the top of the store's customers by percentile."],
  ["mediumFrom", "Medium value from (revenue)", "Below it: low value."],
  ["newDays", "New for (days after the first order)", null],
  ["activeDays", "Active while the last order is within (days)", null],
  ["atRiskDays", "At risk until (days)", null],
  ["lapsedDays", "Lapsed after (days)", "At most 36600."],
];

export function classificationPage() {
  const heading = h("h1", { id: "classification-title" }, "Classification settings");
  const status = h("div", { id: "classification-status" });
  const admin = can("admin");
  const inputs = Object.fromEntries(
    fields.map(([name]) => [name, h("input", { id: name, name, type: "number", min: 0, step: "any", inputmode: "decimal", readonly: !admin })]),
  );
  const form = h(
    "form",
    { class: "settings", "aria-labelledby": "classification-title", novalidate: true },
    fields.map(([name, label, help]) =>
      h("div", { class: "field" }, h("label", { for: name }, label), inputs[name], help ? h("p", { class: "help", id: `${name}-help` }, help) : null),
    ),
    admin ? h("button", { type: "submit", class: "primary" }, "Save settings") : notice("This key has no admin scope: the settings are shown read-only."),
    status,
  );
  for (const [name, , help] of fields) {
    if (help) {
      inputs[name].setAttribute("aria-describedby", `${name}-help`);
    }
  }

  const fill = (settings) => {
    for (const [name] of fields) {
      inputs[name].value = settings[name] ?? "";
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = Object.fromEntries(fields.map(([name]) => [name, inputs[name].value === "" ? null : Number(inputs[name].value)]));
    for (const input of Object.values(inputs)) {
      input.removeAttribute("aria-invalid");
    }
    clear(status, notice("Saving…"));
    try {
      fill(await api(store("classification"), { method: "PUT", body }));
      clear(status, notice("Saved. Customers are being reclassified."));
    } catch (error) {
      const reasons = error instanceof ApiError ? error.errors : [];
      reasons.forEach((e) => inputs[e.field]?.setAttribute("aria-invalid", "true"));
      clear(status, h("div", { class: "notice error", role: "alert" }, h("p", {}, "The settings were not changed:"),
        h("ul", {}, reasons.length ? reasons.map((e) => h("li", {}, e.field === "$" ? e.reason : `${e.field}: ${e.reason}`)) : h("li", {}, error.message))));
    }
  });

  (async () => {
    try {
      fill(await api(store("classification")));
    } catch (error) {
      clear(status, notice(`The settings could not be read: ${error.message}`, "error"));
    }
  })();
  return { title: "Classification settings", node: h("section", {}, heading, form), focus: heading };
}
