// Tells the server the browser's time zone, so that recovery pages show
// times on the person's own clock (decision 0017): the cookie latchkey-tz
// holds the IANA zone name, the UTC offset now in minutes, and each change
// of offset within the next 100 hours ("at:offset", unix seconds).
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  var offset = function (ms) { return -new Date(ms).getTimezoneOffset(); };
  var hour = 3600 * 1000;
  var start = Math.floor(Date.now() / hour) * hour;
  var now = offset(Date.now());
  var parts = [zone, now];
  var last = now;
  for (var h = 1; h <= 100; h++) {
    var o = offset(start + h * hour);
    if (o !== last) {
      // the change happened within the hour before; find its minute
      var lo = start + (h - 1) * hour, hi = start + h * hour;
      while (hi - lo > 60 * 1000) {
        var mid = lo + Math.floor((hi - lo) / 2 / 60000) * 60000;
        if (offset(mid) === o) hi = mid; else lo = mid;
      }
      parts.push(Math.floor(hi / 1000) + ":" + o);
      last = o;
    }
  }
  var secure = location.protocol === "https:" ? "; Secure" : "";
  document.cookie = "latchkey-tz=" + parts.join("|") + "; Path=/; Max-Age=34560000; SameSite=Lax" + secure;
})();
