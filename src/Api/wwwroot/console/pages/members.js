// A segment's members, a page at a time by the API's cursor, and the whole list as CSV (read page by page here).
import { api, store } from "../api.js";
import { h, clear, notice, table, format } from "../dom.js";

const PAGE_SIZE = 50;
const EXPORT_PAGE_SIZE = 1000;

/** One CSV field (RFC 4180), with a leading =, +, - or @ defused so a spreadsheet does not run it as a formula. */
function csvField(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function membersPage(id) {
  const heading = h("h1", { id: "members-title" }, `Members of ${id}`);
  const list = h("div", {}, notice("Loading the members…"));
  const pager = h("div", { class: "actions pager" });
  const exportStatus = h("div", { id: "export-status" });
  const controller = new AbortController();
  const cursors = [null];
  let pageIndex = 0;

  const load = async () => {
    const cursor = cursors[pageIndex];
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (cursor) {
      query.set("cursor", cursor);
    }
    try {
      const page = await api(`${store("segments", id, "members")}?${query}`, { signal: controller.signal });
      cursors[pageIndex + 1] = page.nextCursor;
      clear(
        list,
        table(
          `Members, page ${pageIndex + 1}`,
          ["Customer", "Entered", "Cause"],
          page.items.map((m) => [h("a", { href: `#/customers/${encodeURIComponent(m.customerId)}` }, m.customerId), format.time(m.enteredAt), m.cause]),
          "No members on this page.",
        ),
      );
      clear(
        pager,
        h("button", { type: "button", disabled: pageIndex === 0, onclick: () => { pageIndex--; load(); } }, "Previous page"),
        h("span", { class: "page-number" }, `Page ${pageIndex + 1}`),
        h("button", { type: "button", disabled: !page.nextCursor, onclick: () => { pageIndex++; load(); } }, "Next page"),
      );
    } catch (error) {
      if (error.name !== "AbortError") {
        clear(list, notice(error.status === 404 ? `There is no segment “${id}” in this store.` : `The members could not be read: ${error.message}`, "error"));
      }
    }
  };

  const download = async (button) => {
    button.disabled = true;
    const lines = ["customerId,enteredAt,cause"];
    let cursor = null;
    try {
      do {
        const query = new URLSearchParams({ limit: String(EXPORT_PAGE_SIZE) });
        if (cursor) {
          query.set("cursor", cursor);
        }
        const page = await api(`${store("segments", id, "members")}?${query}`, { signal: controller.signal });
        for (const m of page.items) {
          lines.push([m.customerId, m.enteredAt, m.cause].map(csvField).join(","));
        }
        cursor = page.nextCursor;
        clear(exportStatus, notice(`Read ${format.count(lines.length - 1)} members…`));
      } while (cursor);
      const url = URL.createObjectURL(new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv" }));
      const link = h("a", { href: url, download: `${id}-members.csv` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      clear(exportStatus, notice(`Downloaded ${format.count(lines.length - 1)} members as ${id}-members.csv.`));
    } catch (error) {
      if (error.name !== "AbortError") {
        clear(exportStatus, notice(`The download failed: ${error.message}`, "error"));
      }
    } finally {
      button.disabled = false;
    }
  };

  const downloadButton = h("button", { type: "button", id: "download-csv" }, "Download CSV");
  downloadButton.addEventListener("click", () => download(downloadButton));
  const node = h(
    "section",
    { "aria-labelledby": "members-title" },
    h("p", { class: "crumbs" }, h("a", { href: "#/segments" }, "Segments"), " / ", h("a", { href: `#/segments/${encodeURIComponent(id)}` }, id), " / members"),
    h("div", { class: "heading" }, heading, downloadButton),
    exportStatus,
    list,
    pager,
  );
  load();
  return { title: `Members of ${id}`, node, focus: heading, stop: () => controller.abort() };
}
