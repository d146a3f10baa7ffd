// The "being prepared" page asks again in the background every few seconds
// (the page's data-retry-after) and, once the answer is no longer "being
// prepared" (no Retry-After: ready or failed), opens it. A refreshing page
// (meta refresh) would reload under a screen reader's cursor every few
// seconds; without JavaScript the page's "try again now" link does the same.
const status = document.querySelector("[data-wait-for]");
if (status) {
  const url = status.dataset.waitFor;
  const seconds = Math.max(2, Number(status.dataset.retryAfter) || 5);
  const ask = async () => {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (!response.headers.has("Retry-After")) {
        window.location.assign(url);
        return;
      }
    } catch (error) {
      // Offline for a moment: ask again later.
    }
    window.setTimeout(ask, seconds * 1000);
  };
  window.setTimeout(ask, seconds * 1000);
}
