// latchkey: the Copy and Print buttons of the recovery codes page.
//
// The buttons are hidden until this script runs (without it, the page still
// offers the download link and the browser's own print). Copy puts the
// codes, one per line, on the clipboard and says so in the page's status
// line; Print opens the browser's print dialog (the stylesheet prints only
// the codes and the lead). Nothing else.
"use strict";
(function () {
  var list = document.getElementById("codes");
  var status = document.getElementById("codes-status");
  if (!list || !status) {
    return;
  }
  function codes() {
    var items = list.querySelectorAll("code");
    var lines = [];
    for (var i = 0; i < items.length; i++) {
      lines.push(items[i].textContent);
    }
    return lines.join("\n") + "\n";
  }
  var copy = document.getElementById("codes-copy");
  var print = document.getElementById("codes-print");
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(codes()).then(
        function () {
          status.textContent = copy.getAttribute("data-done");
        },
        function () {
          status.textContent = copy.getAttribute("data-failed");
        }
      );
    });
  }
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () {
      window.print();
    });
  }
})();
