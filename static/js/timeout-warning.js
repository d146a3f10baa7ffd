// Warn a signed-in person before the idle sign-out and let them stay signed
// in (WCAG 2.2.1, timing adjustable), as the GOV.UK timeout warning does.
// The server's clock decides: before warning and before signing out, the
// page asks how long is left (another tab may have been busy). Without
// JavaScript the dialog never shows and the server signs out as before.

const dialog = document.getElementById("smk-timeout");

if (dialog && typeof dialog.showModal === "function") {
  const url = dialog.dataset.sessionUrl;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const stay = dialog.querySelector(".smk-timeout__stay");
  const countdown = dialog.querySelector(".smk-timeout__countdown");
  let deadline = Date.now() + Number(dialog.dataset.remainingSeconds) * 1000;
  let timer = null;

  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const words = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    return seconds >= 60 ? plural(Math.ceil(seconds / 60), "minute") : plural(seconds, "second");
  };

  async function askServer(method, body) {
    const response = await fetch(url, {
      method, body, credentials: "same-origin", headers: { Accept: "application/json" },
    });
    if (!response.ok) throw new Error(`session check answered ${response.status}`);
    const { remaining } = await response.json();
    deadline = Date.now() + remaining * 1000;
    return remaining;
  }

  function schedule() {
    clearTimeout(timer);
    const left = deadline - Date.now();
    if (left > warning) {
      timer = setTimeout(check, left - warning);
    } else {
      warn();
    }
  }

  async function check() {
    try {
      await askServer("GET");
    } catch {
      // Offline or the server is busy: trust the page's own clock.
    }
    schedule();
  }

  function warn() {
    if (!dialog.open) {
      dialog.showModal();
    }
    tick();
  }

  function tick() {
    clearTimeout(timer);
    const left = deadline - Date.now();
    countdown.textContent = words(left);
    if (left <= 0) {
      expire();
    } else {
      timer = setTimeout(tick, 1000);
    }
  }

  async function expire() {
    try {
      if ((await askServer("GET")) > 0) {
        dialog.close();
        schedule();
        return;
      }
    } catch {
      // Fall through: the next page load signs out and says why.
    }
    // A GET of this page: the server signs out and shows the sign-in page
    // with the reason (never a re-POST of a form).
    window.location.assign(window.location.href);
  }

  async function staySignedIn(event) {
    event.preventDefault();
    try {
      await askServer("POST", new FormData(stay));
      dialog.close();
      schedule();
    } catch {
      stay.submit();
    }
  }

  stay.addEventListener("submit", staySignedIn);
  // Escape means "stay signed in", as in the GOV.UK pattern.
  dialog.addEventListener("cancel", (event) => staySignedIn(event));
  schedule();
}
