// Charts: uPlot (vendored, see vendor/uplot/README.md) for series over time; each chart is also given as a table for
// screen readers and for exact figures. The conversion comparison is drawn as SVG by hand (see intervals()).
import uPlot from "./vendor/uplot/uPlot.esm.js";
import { h, format } from "./dom.js";

const colours = { size: "#1f5fbf", entered: "#2e7d32", exited: "#c62828", treated: "#1f5fbf", holdout: "#6d4c41" };

/** Seconds since the epoch, uPlot's x scale. */
const seconds = (iso) => Date.parse(iso) / 1000;

/** Steps of a count axis: whole numbers only (a segment never has 0.2 members). */
const wholeSteps = [1, 2, 5].flatMap((step) => [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8].map((scale) => step * scale)).sort((a, b) => a - b);
const countAxis = { size: 50, incrs: wholeSteps };

function sized(container, options, data) {
  const width = () => Math.max(200, container.clientWidth);
  const plot = new uPlot({ ...options, width: width() }, data, container);
  // Follows the container (a phone turned, a window resized); stops once the chart leaves the page.
  const observer = new ResizeObserver(() => {
    if (!container.isConnected) {
      observer.disconnect();
      plot.destroy();
      return;
    }
    plot.setSize({ width: width(), height: options.height });
  });
  observer.observe(container);
  return plot;
}

/** A small line of a segment's size, with no axes; returns a function that moves its last point to a live count. */
export function sparkline(intervals, label) {
  const box = h("div", { class: "sparkline", role: "img", "aria-label": label });
  const xs = intervals.map((i) => seconds(i.end));
  const ys = intervals.map((i) => i.size);
  // Drawn once the box is in the page, so that it has a width.
  requestAnimationFrame(() => {
    if (!box.isConnected || xs.length === 0) {
      return;
    }
    const plot = new uPlot(
      {
        width: 120,
        height: 32,
        pxAlign: false,
        cursor: { show: false },
        select: { show: false },
        legend: { show: false },
        scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: colours.size, width: 1.5, fill: "rgba(31,95,191,0.12)" }],
      },
      [xs, ys],
      box,
    );
    box.live = (count) => {
      ys[ys.length - 1] = count;
      plot.setData([xs, ys]);
    };
  });
  return box;
}

/** Size over time: members at the end of each interval. */
export function sizeChart(stats) {
  const container = h("div", { class: "chart" });
  const figure = h(
    "figure",
    {},
    h("figcaption", {}, `Size over time (members at the end of each ${stats.interval})`),
    container,
    dataTable("Size by interval", ["Interval end", "Members"], stats.intervals.map((i) => [format.time(i.end), format.count(i.size)])),
  );
  requestAnimationFrame(() =>
    sized(
      container,
      {
        height: 220,
        series: [{}, { label: "Members", stroke: colours.size, width: 2, fill: "rgba(31,95,191,0.10)" }],
        scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
        axes: [{}, countAxis],
      },
      [stats.intervals.map((i) => seconds(i.end)), stats.intervals.map((i) => i.size)],
    ),
  );
  return figure;
}

/** Entries and exits per interval, as bars side by side. */
export function flowChart(stats) {
  const container = h("div", { class: "chart" });
  const figure = h(
    "figure",
    {},
    h("figcaption", {}, `Entered and exited per ${stats.interval}`),
    container,
    dataTable(
      "Entries and exits by interval",
      ["Interval start", "Entered", "Exited"],
      stats.intervals.map((i) => [format.time(i.start), format.count(i.entered), format.count(i.exited)]),
    ),
  );
  const bars = (align) => uPlot.paths.bars({ size: [0.4, 40], align });
  requestAnimationFrame(() =>
    sized(
      container,
      {
        height: 200,
        series: [
          {},
          { label: "Entered", stroke: colours.entered, fill: colours.entered, paths: bars(-1), points: { show: false } },
          { label: "Exited", stroke: colours.exited, fill: colours.exited, paths: bars(1), points: { show: false } },
        ],
        scales: { y: { range: (u, min, max) => [0, Math.max(1, max)] } },
        axes: [{}, countAxis],
      },
      [stats.intervals.map((i) => seconds(i.start)), stats.intervals.map((i) => i.entered), stats.intervals.map((i) => i.exited)],
    ),
  );
  return figure;
}

/**
 * Conversion of treated members against the holdout: each rate as a dot with its 95 % interval as a whisker, on one
 * 0–100 % scale. Hand-drawn SVG: uPlot draws series along an x axis, and two proportions with intervals are not a
 * series; a dozen lines of SVG say it plainly.
 */
export function intervals(conversion) {
  const groups = [
    ["Treated", conversion.treated, colours.treated],
    ["Holdout", conversion.holdout, colours.holdout],
  ];
  const ns = "http://www.w3.org/2000/svg";
  const svg = (tag, attributes) => {
    const element = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attributes)) {
      element.setAttribute(name, String(value));
    }
    return element;
  };
  const width = 400;
  const left = 80;
  const right = 20;
  const x = (rate) => left + (width - left - right) * rate;
  const chart = svg("svg", { viewBox: `0 0 ${width} 110`, class: "intervals", role: "img", "aria-labelledby": "conversion-caption" });
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    chart.append(svg("line", { x1: x(tick), x2: x(tick), y1: 10, y2: 80, class: "grid" }));
    const text = svg("text", { x: x(tick), y: 98, "text-anchor": "middle", class: "tick" });
    text.textContent = format.percent(tick);
    chart.append(text);
  }
  groups.forEach(([name, group, colour], index) => {
    const y = 30 + index * 35;
    const label = svg("text", { x: 0, y: y + 4, class: "label" });
    label.textContent = name;
    chart.append(label);
    if (group.rate === null) {
      const none = svg("text", { x: x(0) + 4, y: y + 4, class: "tick" });
      none.textContent = "no one entered yet";
      chart.append(none);
      return;
    }
    chart.append(svg("line", { x1: x(group.low), x2: x(group.high), y1: y, y2: y, stroke: colour, "stroke-width": 3 }));
    chart.append(svg("circle", { cx: x(group.rate), cy: y, r: 6, fill: colour }));
  });
  const range = (g) => (g.rate === null ? "—" : `${format.percent(g.rate)} (95 % interval ${format.percent(g.low)} – ${format.percent(g.high)})`);
  const estimate = (e) => (e ? `${format.percent(e.value)} (${format.percent(e.low)} – ${format.percent(e.high)})` : "—");
  return h(
    "figure",
    {},
    h("figcaption", { id: "conversion-caption" }, `Conversion within ${conversion.windowDays} days of entering: treated members against the holdout`),
    chart,
    dataTable(
      "Conversion by group",
      ["Group", "Entered", "Converted", "Window still open", "Rate"],
      groups.map(([name, g]) => [name, format.count(g.entered), format.count(g.converted), format.count(g.windowOpen), range(g)]),
      true,
    ),
    h("p", {}, `Difference (treated − holdout): ${estimate(conversion.difference)}. Lift: ${estimate(conversion.lift)}.`),
  );
}

/** The figures behind a chart, folded away unless asked for (or shown, for the small conversion table). */
function dataTable(caption, headings, rows, open = false) {
  return h(
    "details",
    { open },
    h("summary", {}, `${caption} (table)`),
    h(
      "div",
      { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
      h("table", {}, h("thead", {}, h("tr", {}, headings.map((t) => h("th", { scope: "col" }, t)))), h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c)))))),
    ),
  );
}
