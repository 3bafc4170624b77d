// Fills empty date fields with the phone's own local date and time.
// The server knows only UTC; a patient in the evening in Los Angeles is
// already "tomorrow" there. Inputs opt in with data-local-now (datetime-local)
// or data-local-today (date). Runs as elements appear (pages render late).
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function fill(root) {
    var d = new Date();
    var day = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    root.querySelectorAll("input[data-local-now], input[data-local-today]").forEach(function (el) {
      if (el.value || el.dataset.localFilled) return;
      el.value = el.hasAttribute("data-local-now") ? day + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) : day;
      el.dataset.localFilled = "1";
    });
  }
  new MutationObserver(function () { fill(document); }).observe(document.documentElement, { childList: true, subtree: true });
  fill(document);
})();
