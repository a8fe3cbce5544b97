// Tells the server the browser's time zone, so that pages show times on
// the person's own clock (decisions 0017 and 0028): the cookie latchkey-tz
// holds the IANA zone name; the server works out the offsets itself.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) return;
  var secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "latchkey-tz=" + zone + "; Path=/; Max-Age=34560000; SameSite=Lax" + secure;
})();
