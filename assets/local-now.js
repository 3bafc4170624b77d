// Fills empty date fields with the phone's own local date and time.
// The server knows only UTC; a patient in the evening in Los Angeles is
// already "tomorrow" there. Inputs opt in with data-local-now (datetime-local)
// or data-local-today (date). Runs as elements appear (pages render late),
// looking only at what was added: rescanning the whole page on every change
// cost a 100 ms task on a slow phone while the timeline rendered.
(function () {
  var FIELDS = "input[data-local-now], input[data-local-today]";
  function pad(n) { return String(n).padStart(2, "0"); }
  function fillOne(el) {
    if (el.value || el.dataset.localFilled) return;
    var d = new Date();
    var day = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    el.value = el.hasAttribute("data-local-now") ? day + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes()) : day;
    el.dataset.localFilled = "1";
  }
  function fillWithin(node) {
    if (node.nodeType !== 1) return;
    if (node.matches(FIELDS)) fillOne(node);
    else if (node.firstElementChild) node.querySelectorAll(FIELDS).forEach(fillOne);
  }
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j++) fillWithin(added[j]);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
  fillWithin(document.documentElement);
})();
