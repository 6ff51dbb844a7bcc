// The segments list: every segment of the store with its live member count and a sparkline of its size (24 hours).
import { api, store, can } from "../api.js";
import { h, clear, notice, format } from "../dom.js";
import { sparkline } from "../charts.js";
import { every, COUNT_EVERY_MS, CHART_EVERY_MS } from "../live.js";

const status = (segment) =>
  segment.status === "ready" ? "ready" : `${segment.status} (${format.count(segment.backfill.evaluated)} of ${format.count(segment.backfill.total)})`;

export function segmentsPage() {
  const body = h("div", {}, notice("Loading the segments…"));
  const node = h(
    "section",
    { "aria-labelledby": "segments-title" },
    h("div", { class: "heading" }, h("h1", { id: "segments-title" }, "Segments"), can("admin") ? h("a", { class: "button primary", href: "#/segments/new" }, "New segment") : null),
    h("p", { class: "help" }, "Member counts are exact and refresh every few seconds; the line beside each is its size over the last 24 hours."),
    body,
  );
  const stops = [];
  const page = { title: "Segments", node, stop: () => stops.forEach((stop) => stop()) };

  (async () => {
    let segments;
    try {
      segments = (await api(store("segments"))).items;
    } catch (error) {
      clear(body, notice(`The segments could not be read: ${error.message}`, "error"));
      return;
    }
    const cells = new Map();
    const rows = segments.map((segment) => {
      const count = h("td", { class: "number", "data-count": segment.id }, "…");
      const spark = h("td", { class: "spark" });
      cells.set(segment.id, { count, spark, line: null });
      return h(
        "tr",
        {},
        h("th", { scope: "row" }, h("a", { href: `#/segments/${encodeURIComponent(segment.id)}` }, segment.name), h("div", { class: "id" }, segment.id)),
        count,
        spark,
        h("td", { "data-status": segment.id }, status(segment)),
        h("td", { class: "number" }, segment.holdout ? `${segment.holdout} %` : "—"),
      );
    });
    clear(
      body,
      h(
        "div",
        { class: "table-scroll", tabindex: "0", role: "region", "aria-label": "Segments table" },
        h(
          "table",
          { class: "segments" },
          h("caption", {}, `${segments.length} segments`),
          h("thead", {}, h("tr", {}, [["Segment"], ["Members", "number"], ["Size, 24 h"], ["Status"], ["Holdout", "number"]].map(([t, c]) => h("th", { scope: "col", class: c }, t)))),
          h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: 5 }, "No segments yet."))),
        ),
      ),
    );

    stops.push(
      every(COUNT_EVERY_MS, async (signal) => {
        // Statuses move while backfills run; a segment added since shows on the next visit.
        for (const segment of (await api(store("segments"), { signal })).items) {
          const cell = node.querySelector(`[data-status="${CSS.escape(segment.id)}"]`);
          if (cell) {
            cell.textContent = status(segment);
          }
        }
        await Promise.all(
          segments.map(async (segment) => {
            const cell = cells.get(segment.id);
            try {
              const { count } = await api(store("segments", segment.id, "count"), { signal });
              cell.count.textContent = format.count(count);
              cell.line?.live?.(count);
            } catch (error) {
              if (error.name === "AbortError") {
                throw error;
              }
              cell.count.textContent = "—";
            }
          }),
        );
      }),
    );
    stops.push(
      every(CHART_EVERY_MS, async (signal) => {
        for (const segment of segments) {
          const cell = cells.get(segment.id);
          const stats = await api(`${store("segments", segment.id, "stats")}?interval=hour`, { signal });
          cell.line = sparkline(stats.intervals, `${segment.name}: size over the last 24 hours, from ${stats.intervals[0]?.size ?? 0} to ${stats.intervals.at(-1)?.size ?? 0}`);
          clear(cell.spark, cell.line);
        }
      }),
    );
  })();
  return page;
}
