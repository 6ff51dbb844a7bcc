// Building the page from data with text nodes only: nothing the API returns is ever parsed as HTML.

/** h("a", {href: "#/x", class: "btn"}, "text", child, …) → an element; on* attributes become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "class") {
      element.className = value;
    } else if (value === true) {
      element.setAttribute(name, "");
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });

export const format = {
  time: (value) => (value ? dateTime.format(new Date(value)) : "—"),
  count: (value) => (value === null || value === undefined ? "—" : integer.format(value)),
  number: (value) => (value === null || value === undefined ? "—" : decimal.format(value)),
  percent: (value) => (value === null || value === undefined ? "—" : percent.format(value)),
};

/** A definition list of [term, value] pairs; values may be nodes. */
export function facts(pairs, label) {
  return h("dl", { class: "facts", "aria-label": label }, pairs.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value ?? "—")]));
}

/** A table in a scroll box that keyboard users can scroll too; rows are arrays of cells (text or nodes). */
export function table(caption, headings, rows, empty = "Nothing to show.") {
  const body = rows.length
    ? rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))
    : [h("tr", {}, h("td", { colspan: headings.length, class: "empty" }, empty))];
  return h(
    "div",
    { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
    h("table", {}, h("caption", {}, caption), h("thead", {}, h("tr", {}, headings.map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, body)),
  );
}

/** A message for everyone: polite status, or an alert for errors. */
export function notice(text, kind = "status") {
  return h("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, text);
}
