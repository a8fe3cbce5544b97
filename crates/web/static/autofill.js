// latchkey: offers saved passkeys in the sign-in page's username field
// (WebAuthn conditional mediation), where the tenant allows signing in with
// a passkey alone and the browser can offer them there.
//
// As the page opens, it asks the server for a ceremony (one POST; refused
// quietly when the address asked too often), then asks the browser for a
// passkey without showing anything: the browser lists its passkeys for
// this site among the username suggestions. When the person picks one, the
// answer goes to the same place as the "Sign in with a passkey" button's.
// Without this script, or when anything fails, the page is as before.
"use strict";
(function () {
  var form = document.getElementById("autofill-form");
  if (!form || !window.PublicKeyCredential || !navigator.credentials ||
      typeof PublicKeyCredential.isConditionalMediationAvailable !== "function") {
    return;
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
      var r = credential.response;
      var response = {
        clientDataJSON: toB64url(r.clientDataJSON),
        authenticatorData: toB64url(r.authenticatorData),
        signature: toB64url(r.signature)
      };
      if (r.userHandle) {
        response.userHandle = toB64url(r.userHandle);
      }
      form.elements.ceremony.value = started.ceremony;
      form.elements.response.value = JSON.stringify({
        id: credential.id,
        rawId: toB64url(credential.rawId),
        type: credential.type,
        response: response,
        extensions: {}
      });
      form.submit();
    });
  }).catch(function () {
    // cancelled, timed out or refused: the password form is still there
  });
})();
