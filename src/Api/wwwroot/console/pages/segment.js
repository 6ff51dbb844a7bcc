// One segment: its definition, live count, size over time, entries and exits, and — when it keeps a holdout — the
// conversion of treated members against the holdout (GET …/segments/{id}/stats).
import { api, store, can } from "../api.js";
import { h, clear, notice, facts, format } from "../dom.js";
import { sizeChart, flowChart, intervals } from "../charts.js";
import { every, COUNT_EVERY_MS, CHART_EVERY_MS } from "../live.js";

const ranges = {
  minute: "Last hour, by minute",
  hour: "Last 24 hours, by hour",
  day: "Last 7 days, by day",
};

export function segmentPage(id) {
  const title = h("h1", { id: "segment-title" }, id);
  const count = h("output", { class: "big", id: "segment-count", "aria-live": "off" }, "…");
  const definition = h("div", {}, notice("Loading the segment…"));
  const charts = h("div", { class: "charts" });
  const range = h(
    "select",
    { id: "range" },
    Object.entries(ranges).map(([value, text]) => h("option", { value, selected: value === "hour" }, text)),
  );
  const node = h(
    "section",
    { "aria-labelledby": "segment-title" },
    h("p", { class: "crumbs" }, h("a", { href: "#/segments" }, "Segments"), " / ", id),
    h("div", { class: "heading" }, title, h("div", { class: "actions" },
      h("a", { class: "button", href: `#/segments/${encodeURIComponent(id)}/members` }, "Members"),
      can("admin") ? h("a", { class: "button", href: `#/segments/${encodeURIComponent(id)}/edit` }, "Edit rule") : null)),
    h("p", { class: "count-line" }, h("span", { id: "count-label" }, "Members now: "), count),
    definition,
    h("div", { class: "field inline" }, h("label", { for: "range" }, "Charts over"), range),
    charts,
  );
  const stops = [];
  const page = { title: `Segment ${id}`, node, focus: title, stop: () => stops.forEach((stop) => stop()) };
  count.setAttribute("aria-labelledby", "count-label");

  const describe = (segment) => {
    title.textContent = segment.name;
    page.title = segment.name;
    document.title = `${segment.name} · CustomerGrains console`;
    clear(
      definition,
      facts(
        [
          ["Id", segment.id],
          ["Rule", h("code", { class: "rule" }, segment.rule)],
          ["Description", segment.description],
          ["Parent", segment.parent ? h("a", { href: `#/segments/${encodeURIComponent(segment.parent)}` }, segment.parent) : null],
          ["Version", String(segment.version)],
          ["Status", segment.status === "ready" ? "ready" : `${segment.status}: ${format.count(segment.backfill.evaluated)} of ${format.count(segment.backfill.total)} customers evaluated`],
          ["Pending rule", segment.pendingRule ? h("code", { class: "rule" }, segment.pendingRule) : null],
          ["Holdout", segment.holdout ? `${segment.holdout} % kept as a control group` : "none"],
          ["Minimum stay", segment.minDwell],
          ["Updated", format.time(segment.updatedAt)],
        ].filter(([, value]) => value !== null && value !== undefined),
        "Definition",
      ),
    );
  };

  (async () => {
    let segment;
    try {
      segment = await api(store("segments", id));
      describe(segment);
    } catch (error) {
      clear(definition, notice(error.status === 404 ? `There is no segment “${id}” in this store.` : `The segment could not be read: ${error.message}`, "error"));
      return;
    }

    let stopCharts = null;
    let chartedCount = null;
    let chartedAt = 0;

    const chart = () => {
      stopCharts?.();
      stopCharts = every(CHART_EVERY_MS, async (signal) => {
        chartedAt = Date.now();
        const stats = await api(`${store("segments", id, "stats")}?interval=${range.value}`, { signal });
        clear(
          charts,
          sizeChart(stats),
          flowChart(stats),
          stats.holdout > 0
            ? intervals(stats.conversion)
            : h("p", { class: "help" }, "This segment keeps no holdout, so there is no conversion comparison. Give it a holdout in the rule editor to measure one."),
        );
      });
    };
    range.addEventListener("change", chart);
    chart();
    stops.push(every(COUNT_EVERY_MS, async (signal) => {
      const now = (await api(store("segments", id, "count"), { signal })).count;
      count.textContent = format.count(now);
      // A backfill's progress, until it is done.
      if (segment.status !== "ready" || segment.pendingVersion !== null) {
        segment = await api(store("segments", id), { signal });
        describe(segment);
      }
      // The charts follow a change of size, at most every 5 s (each read replays the segment's changes on the server).
      if (chartedCount === null) {
        chartedCount = now;
      } else if (now !== chartedCount && Date.now() - chartedAt > 5000) {
        chartedCount = now;
        chart();
      }
    }));
    stops.push(() => stopCharts?.());
  })();
  return page;
}
