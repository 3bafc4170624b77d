// Fills empty date fields with the phone's own local date and time.
// The server knows only UTC; a patient in the evening in Los Angeles is
// already "tomorrow" there. Inputs opt in with data-local-now (datetime-local)
// or data-local-today (date).
//
// Pages render late, so the fields must be caught as they appear. theme.css
// gives them a 1 ms animation, and its start event says "this field is now on
// screen". (A MutationObserver on the whole page did the same but taxed every
// change the app made to the page: about 80 ms of blocked main thread while
// the timeline rendered on a slow phone.)
(function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function fill(el) {
    if (el.value || el.dataset.localFilled) return;
    var d = new Date();
    var day = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    el.value = el.hasAttribute("data-local-now") ? day + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) : day;
    el.dataset.localFilled = "1";
  }
  document.addEventListener("animationstart", function (event) {
    if (event.animationName === "meso-date-field-appears") fill(event.target);
  });
  document.querySelectorAll("input[data-local-now], input[data-local-today]").forEach(fill);

  // A button that puts a value in a field (the check-in's "Day 3" chips):
  // done here, in the page, so it works with no connection too.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-fills]");
    if (!button) return;
    var el = document.getElementById(button.getAttribute("data-fills"));
    if (!el) return;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(el, button.getAttribute("data-value"));
    el.dispatchEvent(new Event("input", { bubbles: true })); // drafts.js keeps it, and pressed() below
  });
  // The chip of the day the field holds shows pressed, whether it was picked
  // or typed (or put back by drafts.js).
  function pressed(field) {
    var chips = document.querySelectorAll('[data-fills="' + field.id + '"]');
    Array.prototype.forEach.call(chips, function (chip) {
      chip.setAttribute("aria-pressed", chip.getAttribute("data-value") === field.value ? "true" : "false");
    });
  }
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target && event.target.id && document.querySelector('[data-fills="' + event.target.id + '"]')) {
        pressed(event.target);
      }
    });
  });
})();
