/* Buttons marked data-print open the browser's print dialog. A static file, not an inline
   onclick handler: the Content-Security-Policy allows scripts from our own origin only. */
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});
