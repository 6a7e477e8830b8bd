// Drag-and-drop onto the upload form, and the upload progress bar (htmx XHR progress).
(function () {
  function wire(form) {
    // After a successful upload the same id holds the job panel, which has no drop zone.
    if (!form || form.tagName !== "FORM" || form.dataset.wired) return;
    var zone = form.querySelector("#dropzone");
    var input = form.querySelector("#id_file");
    var label = form.querySelector("#dropzone-label");
    if (!zone || !input || !label) return;
    form.dataset.wired = "1";
    function show() {
      if (input.files && input.files.length) {
        var f = input.files[0];
        label.textContent = f.name + " (" + (f.size / 1048576).toFixed(1) + " MB)";
      }
    }
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("is-dragging"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("is-dragging"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(); }
    });
    form.addEventListener("htmx:xhr:progress", function (e) {
      if (!e.detail.lengthComputable) return;
      var bar = form.querySelector("#upload-progress");
      var text = form.querySelector("#upload-progress-text");
      var pct = Math.round((e.detail.loaded / e.detail.total) * 100);
      bar.classList.remove("d-none");
      text.classList.remove("d-none");
      bar.firstElementChild.style.width = pct + "%";
      text.textContent = "Uploading… " + pct + " %";
    });
    form.addEventListener("htmx:beforeRequest", function () {
      form.querySelector("#upload-submit").disabled = true;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { wire(document.getElementById("upload-form")); });
  document.body.addEventListener("htmx:afterSettle", function () { wire(document.getElementById("upload-form")); });
})();
