// Fields that apply to one choice of a form only: a part marked
// data-shown-when="kind=weight" shows while the form's "kind" radio reads
// "weight", and is hidden and disabled (so not sent) otherwise. The part may
// be an <option> (a unit that applies to one kind only).
//
// Done here, in the page, rather than by the server: the form works the same
// with no connection (a measurement's weight in kg or lb, offline), and the
// fields follow the choice at once. Parts are caught as their form appears
// (its radios' 1 ms animation, see theme.css and drafts.js), and on every
// change, including drafts.js putting a saved choice back.
(function () {
  function apply(form) {
    var parts = form.querySelectorAll("[data-shown-when]");
    Array.prototype.forEach.call(parts, function (part) {
      var rule = part.getAttribute("data-shown-when").split("=");
      var chosen = form.querySelector('input[name="' + rule[0] + '"]:checked');
      var on = !!chosen && chosen.value === rule[1];
      part.hidden = !on;
      if (part.tagName === "OPTION") part.disabled = !on;
      Array.prototype.forEach.call(part.querySelectorAll("input, select, textarea"), function (el) {
        el.disabled = !on;
      });
    });
    // A select whose chosen option no longer applies takes the one marked
    // data-preferred among those that do (the patient's usual unit), or the first.
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (select) {
      var current = select.options[select.selectedIndex];
      if (!current || !current.disabled) return;
      var usable = Array.prototype.filter.call(select.options, function (o) { return !o.disabled; });
      var pick = usable.filter(function (o) { return o.hasAttribute("data-preferred"); })[0] || usable[0];
      if (pick) select.value = pick.value;
    });
  }
  function fromEvent(event) {
    var form = event.target && event.target.closest && event.target.closest("form");
    if (form && form.querySelector("[data-shown-when]")) apply(form);
  }
  document.addEventListener("change", fromEvent);
  document.addEventListener("animationstart", function (event) {
    if (event.animationName === "meso-draft-field-appears" && event.target.type === "radio") fromEvent(event);
  });
})();
