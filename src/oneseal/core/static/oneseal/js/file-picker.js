/* The file chooser (选择文件): the page renders a Chinese button and "未选择文件" beside each
   file input (templates/includes/file_picker.html); this shows the chosen file names in
   their place. One delegated listener, so inputs swapped in by htmx work too. */
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
  var box = input.closest(".file-picker");
  var out = box ? box.querySelector(".file-picker__name") : null;
  if (!out) return;
  var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
  out.textContent = names.length ? names.join("、") : out.getAttribute("data-empty");
  out.classList.toggle("is-chosen", names.length > 0);
});
