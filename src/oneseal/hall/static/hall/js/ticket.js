// The printed ticket: the print button (window.print, for the 80 mm receipt printer).
(function () {
  "use strict";
  var button = document.getElementById("print-ticket");
  if (button) {
    button.addEventListener("click", function () { window.print(); });
  }
})();
