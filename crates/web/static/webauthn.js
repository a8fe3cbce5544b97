// latchkey: runs the WebAuthn ceremony of the page it is loaded on.
//
// The page's form carries the server's options (JSON, binary fields in
// base64url) in data-options and data-mode ("create" or "get"). This script
// asks the browser for the credential, writes the answer into the form's
// "response" field as JSON and submits the form. Nothing else.
"use strict";
(function () {
  var form = document.getElementById("webauthn-form");
  if (!form) {
    return;
  }
  var button = document.getElementById("webauthn-start");
  var errorBox = document.getElementById("webauthn-error");

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
