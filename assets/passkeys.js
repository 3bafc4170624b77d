// Passkeys (web/passkeys.py checks everything; this only carries it).
//
// - Menu: the "Add a passkey" form (data-passkey-add) asks the server for
//   options (it checks the password), lets the phone make the passkey
//   (fingerprint, face or PIN), and sends the result back.
// - Sign-in page: "Sign in with a passkey" (data-passkey-sign-in), and the
//   email field offers this site's passkeys as it is tapped, where the
//   browser can (conditional mediation).
// Every answer of the server names the address to go to next: the journal,
// or the form again with its refusal shown and focused like any other.
(function () {
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function bytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(b64 + "===".slice((b64.length + 3) % 4));
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out.buffer;
  }

  function text(buffer) {
    var raw = "";
    new Uint8Array(buffer).forEach(function (b) { raw += String.fromCharCode(b); });
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The browser's own JSON helpers where it has them; the same by hand otherwise.
  function creationOptions(json) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(json);
    var o = Object.assign({}, json, { challenge: bytes(json.challenge), user: Object.assign({}, json.user, { id: bytes(json.user.id) }) });
    o.excludeCredentials = (json.excludeCredentials || []).map(function (c) { return Object.assign({}, c, { id: bytes(c.id) }); });
    return o;
  }

  function requestOptions(json) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(json);
    var o = Object.assign({}, json, { challenge: bytes(json.challenge) });
    o.allowCredentials = (json.allowCredentials || []).map(function (c) { return Object.assign({}, c, { id: bytes(c.id) }); });
    return o;
  }

  function asJSON(credential) {
    if (credential.toJSON) return credential.toJSON();
    var r = credential.response;
    var response = { clientDataJSON: text(r.clientDataJSON) };
    if (r.attestationObject) response.attestationObject = text(r.attestationObject);
    if (r.authenticatorData) response.authenticatorData = text(r.authenticatorData);
    if (r.signature) response.signature = text(r.signature);
    if (r.userHandle) response.userHandle = text(r.userHandle);
    if (r.getTransports) response.transports = r.getTransports();
    return { id: credential.id, rawId: text(credential.rawId), type: credential.type, response: response, clientExtensionResults: {} };
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (r) {
      return r.json().catch(function () { return { to: location.pathname + "?error=passkey_failed" }; });
    });
  }

  function go(answer) {
    location.assign(answer.to);
  }

  // --- Menu: add a passkey, remove one -----------------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute && form.hasAttribute("data-passkey-remove")) {
      var named = form.getAttribute("data-passkey-remove");
      if (!confirm("Remove the passkey \u201c" + named + "\u201d? It will no longer sign in to your journal.")) event.preventDefault();
      return;
    }
    if (!form.hasAttribute || !form.hasAttribute("data-passkey-add")) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    var name = form.elements.passkey_name.value;
    var cancelled = "/more?form=passkey&error=passkey_cancelled";
    post("/api/passkeys/add-options", { name: name, password: form.elements.passkey_password.value })
      .then(function (options) {
        if (options.to) return go(options);
        return navigator.credentials.create({ publicKey: creationOptions(options) }).then(
          function (credential) {
            return post("/api/passkeys/add", { name: name, credential: JSON.stringify(asJSON(credential)) }).then(go);
          },
          function (error) {
            // The phone already holds one of this patient's passkeys (excludeCredentials).
            location.assign(error && error.name === "InvalidStateError" ? "/more?form=passkey&error=passkey_exists" : cancelled);
          },
        );
      })
      .catch(function () { location.assign("/more?form=passkey&error=passkey_failed"); });
  });

  // --- the sign-in page ------------------------------------------------------
  var pending = null; // the offer waiting on the email field, ended before a tap's own

  function signIn(mediation, button) {
    if (pending) pending.abort();
    var controller = new AbortController();
    pending = controller;
    var label = button && button.textContent;
    if (button) {
      button.disabled = true;
      button.textContent = "Waiting for your passkey\u2026";
    }
    return post("/api/passkeys/sign-in-options", {}).then(function (options) {
      if (options.to) return go(options);
      var ask = { publicKey: requestOptions(options), signal: controller.signal };
      if (mediation) ask.mediation = mediation;
      return navigator.credentials.get(ask).then(
        function (credential) {
          return post("/api/passkeys/sign-in", { credential: JSON.stringify(asJSON(credential)) }).then(go);
        },
        function () {
          // The email field's offer, ended or replaced: nothing to say, the form is there.
          if (!button || controller.signal.aborted) return;
          // A tap that came to nothing (cancelled, no passkey here): said, and the form stays.
          location.assign("/sign-in?error=passkey_not_used");
        },
      );
    }).catch(function () {
      if (button) {
        button.disabled = false;
        button.textContent = label;
      }
    });
  }

  function ready() {
    var button = document.querySelector("[data-passkey-sign-in]");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () { signIn(null, button); });
    // Not again straight after a passkey was refused: the patient taps the
    // button, or types the password (an offer that answers by itself, as in
    // some browsers, would otherwise start over for ever).
    if (/[?&]error=passkey_/.test(location.search)) return;
    if (PublicKeyCredential.isConditionalMediationAvailable) {
      PublicKeyCredential.isConditionalMediationAvailable().then(function (yes) {
        if (yes) signIn("conditional");
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
