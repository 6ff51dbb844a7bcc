// The rule editor: a segment's definition, with a live preview of the draft rule (POST …/segments/preview: the exact
// count and a sample of customers, nothing saved) and syntax errors shown at their place in the rule.
import { api, store, can, ApiError } from "../api.js";
import { h, clear, notice, format } from "../dom.js";

const PREVIEW_DELAY_MS = 400;

function field(id, label, input, help) {
  input.id = id;
  input.name = id;
  if (help) {
    input.setAttribute("aria-describedby", `${id}-help`);
  }
  return h("div", { class: "field" }, h("label", { for: id }, label), input, help ? h("p", { id: `${id}-help`, class: "help" }, help) : null);
}

/** Line and column (1-based) of a 0-based offset in the text. */
function place(text, position) {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  return { line, column: position - before.lastIndexOf("\n") };
}

/** The rule's line with the spot the API named marked: from the position to the end of that word. */
function excerpt(text, position) {
  const start = text.lastIndexOf("\n", position - 1) + 1;
  const endOfLine = text.indexOf("\n", position);
  const line = text.slice(start, endOfLine === -1 ? text.length : endOfLine);
  const at = position - start;
  const word = line.slice(at).match(/^\S+/);
  const length = word ? word[0].length : 1;
  const marked = line.slice(at, at + length) || " ";
  return h("pre", { class: "excerpt", "aria-hidden": "true" }, h("code", {}, line.slice(0, at), h("mark", {}, marked), line.slice(at + length)));
}

export function editorPage(id) {
  const creating = id === null;
  const inputs = {
    id: h("input", { type: "text", required: true, pattern: "[a-z][a-z0-9_\\-]{0,63}", autocomplete: "off", spellcheck: "false" }),
    name: h("input", { type: "text", autocomplete: "off" }),
    description: h("textarea", { rows: 2 }),
    parent: h("input", { type: "text", autocomplete: "off", spellcheck: "false" }),
    holdout: h("input", { type: "number", min: 0, max: 50, step: 1, value: 0, inputmode: "numeric" }),
    minDwell: h("input", { type: "text", autocomplete: "off", spellcheck: "false", placeholder: "e.g. 10m" }),
    rule: h("textarea", { rows: 5, required: true, spellcheck: "false", autocapitalize: "off", class: "code" }),
  };
  const ruleProblem = h("div", { id: "rule-problem", "aria-live": "polite" });
  const preview = h("div", { id: "preview", "aria-live": "polite" }, h("p", { class: "help" }, "Type a rule to preview it."));
  const status = h("div", { id: "save-status" });
  const heading = h("h1", { id: "editor-title" }, creating ? "New segment" : `Edit ${id}`);
  const form = h(
    "form",
    { class: "editor", "aria-labelledby": "editor-title", novalidate: true },
    creating ? field("id", "Id", inputs.id, "Lower-case letters, digits, - and _; it cannot be changed later.") : null,
    field("name", "Name", inputs.name),
    field("description", "Description", inputs.description),
    field("rule", "Rule", inputs.rule, "For example: orders >= 2 and revenue > 50. The preview below follows what you type."),
    ruleProblem,
    h("section", { class: "preview", "aria-labelledby": "preview-title" }, h("h2", { id: "preview-title" }, "Preview"), preview),
    h("details", {}, h("summary", {}, "More settings"),
      field("parent", "Parent segment (optional)", inputs.parent, "Only ever holds members of this segment."),
      field("holdout", "Holdout, % of members kept as a control group", inputs.holdout, "0 to 50; with a holdout the segment page compares conversion."),
      field("minDwell", "Minimum stay (optional)", inputs.minDwell, "Shorter stays are not announced, e.g. 10m, 2h, 1d.")),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary", disabled: !can("admin") }, creating ? "Save segment" : "Save new version"),
      h("a", { class: "button", href: creating ? "#/segments" : `#/segments/${encodeURIComponent(id)}` }, "Cancel")),
    can("admin") ? null : notice("This key has no admin scope: you can preview rules but not save them."),
    status,
  );
  const node = h("section", {}, h("p", { class: "crumbs" }, h("a", { href: "#/segments" }, "Segments"), creating ? null : [" / ", h("a", { href: `#/segments/${encodeURIComponent(id)}` }, id)]), heading, form);

  let timer = null;
  let latest = 0;
  const controller = new AbortController();

  const showRuleProblem = (error) => {
    const rule = error.errors.find((e) => e.field === "rule");
    if (!rule) {
      return false;
    }
    inputs.rule.setAttribute("aria-invalid", "true");
    inputs.rule.setAttribute("aria-describedby", "rule-help rule-error");
    const text = inputs.rule.value;
    if (Number.isInteger(rule.position)) {
      const { line, column } = place(text, rule.position);
      clear(
        ruleProblem,
        h("div", { class: "rule-error", id: "rule-error", role: "alert" },
          h("p", {}, h("strong", {}, `Line ${line}, column ${column}: `), rule.reason.replace(/^at position \d+: /, "")),
          excerpt(text, rule.position),
          h("button", {
            type: "button",
            onclick: () => {
              inputs.rule.focus();
              const end = text.slice(rule.position).match(/^\S*/)[0].length;
              inputs.rule.setSelectionRange(rule.position, rule.position + Math.max(1, end));
            },
          }, "Show it in the rule")),
      );
    } else {
      clear(ruleProblem, h("div", { class: "rule-error", id: "rule-error", role: "alert" }, h("p", {}, rule.reason)));
    }
    return true;
  };

  const clearRuleProblem = () => {
    inputs.rule.removeAttribute("aria-invalid");
    inputs.rule.setAttribute("aria-describedby", "rule-help");
    clear(ruleProblem);
  };

  const runPreview = async () => {
    const rule = inputs.rule.value.trim();
    const ticket = ++latest;
    if (!rule) {
      clearRuleProblem();
      clear(preview, h("p", { class: "help" }, "Type a rule to preview it."));
      return;
    }
    clear(preview, notice("Counting…"));
    try {
      const result = await api(store("segments", "preview"), { method: "POST", body: { rule: inputs.rule.value, sample: 10 }, signal: controller.signal });
      if (ticket !== latest) {
        return;
      }
      clearRuleProblem();
      clear(
        preview,
        h("p", { class: "preview-count" }, h("strong", { id: "preview-count" }, format.count(result.count)), ` of ${format.count(result.evaluated)} customers match now.`),
        result.sample.length
          ? h("ul", { class: "sample", "aria-label": "Sample of matching customers" }, result.sample.map((c) => h("li", {}, h("a", { href: `#/customers/${encodeURIComponent(c)}` }, c))))
          : h("p", { class: "help" }, "No customer matches yet."),
        h("p", { class: "help" }, "As the API reads it: ", h("code", {}, result.rule)),
      );
    } catch (error) {
      if (error.name === "AbortError" || ticket !== latest) {
        return;
      }
      if (error instanceof ApiError && error.status === 400 && showRuleProblem(error)) {
        clear(preview, h("p", { class: "help" }, "No preview until the rule reads correctly."));
      } else {
        clear(preview, notice(`The preview failed: ${error.message}`, "error"));
      }
    }
  };

  inputs.rule.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(runPreview, PREVIEW_DELAY_MS);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const input of Object.values(inputs)) {
      input.removeAttribute("aria-invalid");
    }
    const segmentId = creating ? inputs.id.value.trim() : id;
    const body = {
      name: inputs.name.value.trim() || segmentId,
      description: inputs.description.value.trim() || null,
      parent: inputs.parent.value.trim() || null,
      rule: inputs.rule.value,
      holdout: inputs.holdout.value === "" ? 0 : Number(inputs.holdout.value),
      minDwell: inputs.minDwell.value.trim() || null,
    };
    if (creating) {
      body.id = segmentId;
    }
    clear(status, notice("Saving…"));
    try {
      await api(creating ? store("segments") : store("segments", id), { method: creating ? "POST" : "PUT", body });
      location.hash = `#/segments/${encodeURIComponent(segmentId)}`;
    } catch (error) {
      if (!(error instanceof ApiError) || error.errors.length === 0) {
        clear(status, notice(`Not saved: ${error.message}`, "error"));
        return;
      }
      showRuleProblem(error);
      const listed = error.errors.map((e) => {
        const input = inputs[e.field];
        input?.setAttribute("aria-invalid", "true");
        return h("li", {}, input ? h("a", { href: `#${e.field}`, onclick: (click) => { click.preventDefault(); input.focus(); } }, `${e.field}: ${e.reason}`) : `${e.field}: ${e.reason}`);
      });
      clear(status, h("div", { class: "notice error", role: "alert" }, h("p", {}, "The segment was not saved:"), h("ul", {}, listed)));
    }
  });

  if (!creating) {
    (async () => {
      try {
        const segment = await api(store("segments", id));
        inputs.name.value = segment.name;
        inputs.description.value = segment.description ?? "";
        inputs.parent.value = segment.parent ?? "";
        inputs.holdout.value = segment.holdout;
        inputs.minDwell.value = segment.minDwell ?? "";
        inputs.rule.value = segment.pendingRule ?? segment.rule;
        runPreview();
      } catch (error) {
        clear(status, notice(`The segment could not be read: ${error.message}`, "error"));
      }
    })();
  }

  return { title: creating ? "New segment" : `Edit ${id}`, node, focus: heading, stop: () => { clearTimeout(timer); controller.abort(); } };
}
