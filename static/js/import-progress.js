// Import progress: poll the job's status URL every second, move the bar, reload the page when it ends
// (the page then shows the result, rendered by the server). Without JavaScript the "Tải lại" link does it.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-import-status");
  var progress = box.querySelector("[role=progressbar]");
  var bar = box.querySelector(".progress-bar");
  var text = box.querySelector("[data-import-text]");
  var failures = 0;

  function number(n) {
    return Number(n || 0).toLocaleString("vi-VN");
  }

  function show(state) {
    var percent = Math.max(0, Math.min(100, Math.round(state.percent || 0)));
    bar.className = bar.className.replace(/\bprogress-w-\d+\b/g, "").trim() + " progress-w-" + percent;
    bar.textContent = percent + "%";
    progress.setAttribute("aria-valuenow", String(percent));
    var label = state.phase ? box.getAttribute("data-label-" + state.phase) : box.getAttribute("data-label-queued");
    if (state.phase) {
      label += ": " + number(state.done) + (state.total ? " / " + number(state.total) : "") + " " +
        box.getAttribute("data-label-rows");
    }
    text.textContent = label;
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        if (state.status === "done" || state.status === "failed") {
          window.location.reload();
          return;
        }
        show(state);
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        failures += 1;
        if (failures < 30) {
          window.setTimeout(poll, 3000);
        }
      });
  }

  window.setTimeout(poll, 1000);
})();
