// Let htmx swap the canvas's own validation and conflict answers (400/409/422)
// in place, so a refused note shows its message next to the field. Scoped to
// elements marked data-canvas-swap-errors; other pages keep htmx's defaults.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  var source = event.detail.elt;
  if ((status === 400 || status === 403 || status === 409 || status === 422) && source && source.closest &&
      source.closest("[data-canvas-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
