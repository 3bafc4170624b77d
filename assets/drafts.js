// Keeps what a patient types in a journal form through a dropped connection.
//
// When the websocket reconnects (a train tunnel, a phone waking up, a server
// restarting, the reconnect landing on another server), Reflex opens the page
// again and the form comes back with its starting values: whatever had been
// typed was gone, and a tap on Save stored a half-empty entry. Now every
// change to a form marked data-draft is copied to this tab's sessionStorage,
// and a field that appears (theme.css gives it a 1 ms animation, like the date
// fields of local-now.js) gets its copied value back, through the same events
// a tap would send, so the page's state follows.
//
// A draft ends when its form is saved: the form's data-saved then names the
// form_id the draft was sent with. "Start over" drops it by hand,
// and the sign-in page drops every draft. A draft belongs to the patient who
// typed it (data-owner): another patient signed in on this tab never sees it.
// Passwords and files are never copied.
(function () {
  var PREFIX = "meso-draft:";
  var SKIPPED = { hidden: 1, password: 1, file: 1, submit: 1, button: 1 };

  function keyOf(form) { return PREFIX + form.getAttribute("data-draft"); }
  function read(form) {
    try { return JSON.parse(sessionStorage.getItem(keyOf(form))); } catch (e) { return null; }
  }
  function write(form, draft) {
    try { sessionStorage.setItem(keyOf(form), JSON.stringify(draft)); } catch (e) { /* full or blocked: nothing kept */ }
  }
  function drop(form) { sessionStorage.removeItem(keyOf(form)); }
  function formId(form) {
    var el = form.querySelector("input[name=form_id]");
    return el ? el.value : "";
  }
  function kept(el) { return el.name && !SKIPPED[el.type] && el.form && el.form.hasAttribute("data-draft"); }

  // What the form holds now: a value per name (a list for checkbox groups);
  // only the fields named `only` if given.
  function snapshot(form, only) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el) || (only && el.name !== only)) return;
      if (el.type === "checkbox") {
        fields[el.name] = fields[el.name] || [];
        if (el.checked) fields[el.name].push(el.value);
      } else if (el.type === "radio") {
        if (el.checked) fields[el.name] = el.value;
      } else {
        fields[el.name] = el.value;
      }
    });
    return fields;
  }

  // Set while a draft is being put back: the events that sends are not typing.
  var restoring = false;

  function remember(event) {
    var el = event.target;
    if (restoring || !kept(el)) return;
    var owner = el.form.getAttribute("data-owner");
    if (!owner) return;
    var old = read(el.form);
    if (old && old.owner !== owner) old = null;
    // Only the field that changed: the others may not be back yet. Typing
    // after a refused or unsent save makes the draft live again.
    var fields = Object.assign(old ? old.fields : {}, snapshot(el.form, el.name));
    write(el.form, { owner: owner, fields: fields, sent: null });
  }

  // Drafts another patient typed in this tab (they signed out, or their
  // sign-in ended, and someone else signed in) are dropped unread.
  function dropOthers(owner) {
    Object.keys(sessionStorage).forEach(function (key) {
      if (key.indexOf(PREFIX) !== 0) return;
      var draft = null;
      try { draft = JSON.parse(sessionStorage.getItem(key)); } catch (e) { /* unreadable: dropped */ }
      if (!draft || draft.owner !== owner) sessionStorage.removeItem(key);
    });
  }
  // "input" only: every kind of field sends it with its new value. By the
  // time "change" follows, React has put a server-held field (the check-in's
  // day) back to its old value until the server answers.
  document.addEventListener("input", remember, true);
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-draft")) return;
    var owner = form.getAttribute("data-owner");
    if (owner) write(form, { owner: owner, fields: snapshot(form), sent: formId(form) });
  }, true);

  // React listens for the events a person's input makes: set the value the
  // way the browser would, then send them (a click for a checkbox).
  function setValue(el, value) {
    var proto = el.tagName === "SELECT" ? HTMLSelectElement.prototype
      : el.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function restore(el) {
    if (!kept(el)) return;
    var form = el.form;
    var owner = form.getAttribute("data-owner");
    if (!owner) return; // the page's data is not in yet: the form comes again with it
    dropOthers(owner);
    var draft = read(form);
    if (!draft || !(el.name in draft.fields)) return;
    // Sent and saved: the draft has done its work. (Sent and not saved, as
    // when the connection dropped with the tap, it comes back.)
    if (draft.sent && draft.sent === form.getAttribute("data-saved")) { drop(form); return; }
    var want = draft.fields[el.name];
    var changed = false;
    if (el.type === "checkbox") {
      if (el.checked !== (want.indexOf(el.value) >= 0)) { el.click(); changed = true; }
    } else if (el.type === "radio") {
      if (!el.checked && el.value === want) { el.click(); changed = true; }
    } else if (el.value !== want) {
      setValue(el, want);
      changed = true;
    }
    if (changed) {
      var note = form.querySelector("[data-draft-note]");
      if (note) note.hidden = false;
    }
  }

  document.addEventListener("animationstart", function (event) {
    if (event.animationName !== "meso-draft-field-appears") return;
    restoring = true;
    try { restore(event.target); } finally { restoring = false; }
  });
  // For outbox.js, which takes a form's input over once it is saved on the
  // phone: what the form holds, the form's id, a draft dropped, and a draft
  // put back for a form (a refused entry to correct).
  window.mesoDrafts = {
    snapshot: snapshot,
    formId: formId,
    drop: drop,
    keep: function (name, owner, fields) {
      try {
        sessionStorage.setItem(PREFIX + name, JSON.stringify({ owner: owner, fields: fields, sent: null }));
      } catch (e) { /* full or blocked: the form opens with its usual values */ }
    },
  };

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-draft-discard]");
    if (!button || !button.form) return;
    drop(button.form);
    location.reload();
  });
})();
