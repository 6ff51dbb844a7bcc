// Polling: how the console keeps counts live. Each page stops its polls when it is left.

/** Runs task now and then every ms after it finishes; returns stop(), which also aborts a request in flight. */
export function every(ms, task) {
  const controller = new AbortController();
  let timer = null;
  const tick = async () => {
    try {
      await task(controller.signal);
    } catch (error) {
      if (error.name !== "AbortError") {
        console.warn("a refresh failed; trying again", error);
      }
    }
    if (!controller.signal.aborted) {
      timer = setTimeout(tick, ms);
    }
  };
  tick();
  return () => {
    controller.abort();
    clearTimeout(timer);
  };
}

/** How often counts are read again. */
export const COUNT_EVERY_MS = 2000;

/** How often charts (an analytics read on the server, replayed from the change feed) are read again. */
export const CHART_EVERY_MS = 60000;
