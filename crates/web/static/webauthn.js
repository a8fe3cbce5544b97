// latchkey: runs the WebAuthn ceremony of the page it is loaded on.
//
// The page's form carries the server's options (JSON, binary fields in
// base64url) in data-options and data-mode ("create" or "get"). This script
// asks the browser for the credential, writes the answer into the form's
// "response" field as JSON and submits the form. On the sign-in page it
// also offers saved passkeys in the username field (`autofill` below).
"use strict";
(function () {
  autofill(document.getElementById("autofill-form"));
  var form = document.getElementById("webauthn-form");
  if (!form) {
    return;
  }
  var button = document.getElementById("webauthn-start");
  var errorBox = document.getElementById("webauthn-error");

  // The sign-in page's username field offers saved passkeys (WebAuthn
  // conditional mediation), where the tenant allows signing in with a
  // passkey alone: as the page opens, one POST asks the server for a
  // ceremony (refused quietly when the address asked too often), then the
  // browser is asked without showing anything; when the person picks a
  // passkey among the field's suggestions, the answer goes where the "Sign
  // in with a passkey" button's goes. When anything fails, the page is as
  // before.
  function autofill(form) {
    if (!form || !window.PublicKeyCredential || !navigator.credentials ||
        typeof PublicKeyCredential.isConditionalMediationAvailable !== "function") {
      return;
    }
    PublicKeyCredential.isConditionalMediationAvailable().then(function (available) {
      if (!available) {
        return null;
      }
      var body = new URLSearchParams();
      body.set("csrf", form.elements.csrf.value);
      return fetch(form.dataset.start, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString()
      }).then(function (r) {
        return r.ok ? r.json() : null;
      });
    }).then(function (started) {
      if (!started) {
        return null;
      }
      form.dataset.ready = "yes";
      var pk = Object.assign({}, started.options.publicKey);
      pk.challenge = fromB64url(pk.challenge);
      pk.allowCredentials = [];
      return navigator.credentials.get({ mediation: "conditional", publicKey: pk }).then(function (credential) {
        if (!credential) {
          return;
        }
        form.elements.ceremony.value = started.ceremony;
        form.elements.response.value = encodeCredential(credential);
        form.submit();
      });
    }).catch(function () {
      // cancelled, timed out or refused: the password form is still there
    });
  }

  function fromB64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) {
      b64 += "=";
    }
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) {
      raw += String.fromCharCode(bytes[i]);
    }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(list) {
    return (list || []).map(function (c) {
      return Object.assign({}, c, { id: fromB64url(c.id) });
    });
  }

  function decodeOptions(mode, json) {
    var pk = Object.assign({}, json.publicKey);
    pk.challenge = fromB64url(pk.challenge);
    if (mode === "create") {
      pk.user = Object.assign({}, pk.user, { id: fromB64url(pk.user.id) });
      pk.excludeCredentials = withIds(pk.excludeCredentials);
    } else {
      pk.allowCredentials = withIds(pk.allowCredentials);
    }
    return { publicKey: pk };
  }

  function encodeCredential(credential) {
    var r = credential.response;
    var response = { clientDataJSON: toB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toB64url(r.attestationObject);
      if (typeof r.getTransports === "function") {
        // Lets browsers offer the right way to reach the key later.
        response.transports = r.getTransports();
      }
    } else {
      response.authenticatorData = toB64url(r.authenticatorData);
      response.signature = toB64url(r.signature);
      if (r.userHandle) {
        response.userHandle = toB64url(r.userHandle);
      }
    }
    return JSON.stringify({
      id: credential.id,
      rawId: toB64url(credential.rawId),
      type: credential.type,
      response: response,
      extensions: {}
    });
  }

  // Messages in the page's language come with the form (data-msg-*).
  function text(key, fallback) {
    return form.getAttribute("data-msg-" + key) || fallback;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
    button.disabled = false;
  }

  function run() {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      showError(text("unsupported", "This browser does not support passkeys. Use another way to continue."));
      return;
    }
    var mode = form.dataset.mode;
    var options;
    try {
      options = decodeOptions(mode, JSON.parse(form.dataset.options));
    } catch (e) {
      showError(text("damaged", "This page is damaged. Go back and try again."));
      return;
    }
    button.disabled = true;
    errorBox.hidden = true;
    var request = mode === "create"
      ? navigator.credentials.create(options)
      : navigator.credentials.get(options);
    request.then(function (credential) {
      if (!credential) {
        showError(text("none", "No passkey was chosen. Try again."));
        return;
      }
      form.elements.response.value = encodeCredential(credential);
      form.submit();
    }, function (err) {
      if (err && err.name === "InvalidStateError") {
        showError(text("registered", "This passkey is registered already. Use another one, or cancel."));
      } else if (err && err.name === "SecurityError") {
        showError(text("refused", "Your browser refused passkeys for this address. Open the site at its usual address (https) and try again."));
      } else {
        showError(text("cancelled", "The passkey request was cancelled or timed out. Try again."));
      }
    });
  }

  button.addEventListener("click", run);
  // Start by itself, unless the page reports an error to read first.
  if (form.dataset.autostart === "yes") {
    run();
  }
})();
