// Where the focus goes. After a refused save: the error summary at the top of the form takes the
// focus and scrolls into view, and each of its links takes the patient to
// the field it names. Also: Escape closes an open dialog (the photo viewer)
// by pressing its Close button, with no round trip per key.
//
// The summary announces itself with a 1 ms CSS animation when it appears
// (theme.css), like the date fields do for local-now.js; the page remounts
// it after every refusal. No observer runs while nothing is refused.
(function () {
  var FOCUSABLE = "input, select, textarea, button";
  document.addEventListener("animationstart", function (event) {
    var name = event.animationName;
    if (name !== "meso-error-summary-appears" && name !== "meso-comes-into-view") return;
    var shown = event.target;
    shown.scrollIntoView({ block: "start" });
    shown.focus({ preventScroll: true });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var close = document.querySelector("[role=dialog] [data-dialog-close]");
    if (close) close.click();
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-error-field]");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("data-error-field"));
    if (!target) return;
    if (!target.matches(FOCUSABLE)) target = target.querySelector(FOCUSABLE) || target;
    event.preventDefault();
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  });
})();
