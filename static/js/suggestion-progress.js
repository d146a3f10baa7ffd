// While the worker works out suggestions, follow its progress without the
// person refreshing: ask the server every two seconds, update the status
// (a polite live region) and reload the page once the run has finished.
// Without JavaScript the page says to refresh it, and that works the same.

const status = document.querySelector("[data-progress-url]");

if (status) {
  const url = status.dataset.progressUrl;
  let failures = 0;

  async function check() {
    try {
      const response = await fetch(url, {
        credentials: "same-origin", headers: { Accept: "application/json" },
      });
      if (!response.ok) throw new Error(`progress answered ${response.status}`);
      const run = await response.json();
      if (!run.in_progress) {
        window.location.reload();
        return;
      }
      status.textContent = run.text;
      failures = 0;
    } catch (error) {
      failures += 1;
      if (failures >= 5) return; // the "refresh this page" link still works
    }
    window.setTimeout(check, 2000);
  }

  window.setTimeout(check, 2000);
}
