// Irreversible actions ask first: a form marked data-confirm="question" opens a
// dialog; confirming adds confirm=yes so the server acts at once (without
// JavaScript the server shows its own confirmation page instead).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
  if (form.querySelector('input[name="confirm"][value="yes"]')) return;
  if (!window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  var input = document.createElement("input");
  input.type = "hidden";
  input.name = "confirm";
  input.value = "yes";
  form.appendChild(input);
});

// An error page answering a form offers "Back to your text": the browser's own
// history keeps what was typed, so a refused submission loses nothing.
document.addEventListener("click", function (event) {
  var button = event.target instanceof Element && event.target.closest("[data-history-back]");
  if (!button) return;
  event.preventDefault();
  window.history.back();
});
