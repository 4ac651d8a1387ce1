// Quiz attempt page: "Submit answers" with questions left unanswered asks once. An
// inline message says how many are unanswered and offers "Submit anyway" (focused,
// so the keyboard reaches it at once); that second submit goes through. Without
// this script the form submits as it always did; the server is unchanged. When the
// time is up (quiz.js clicks "Submit answers"), the attempt is submitted unasked.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;
  var submit = form.querySelector("[data-submit]");
  var box = form.querySelector("[data-unanswered]");
  if (!submit || !box) return;
  var count = box.querySelector("[data-unanswered-count]");
  var anyway = box.querySelector("[data-submit-anyway]");
  var deadline = form.dataset.deadline ? new Date(form.dataset.deadline) : null;

  function unanswered() {
    var missing = [];
    form.querySelectorAll(".quiz-question fieldset").forEach(function (fieldset) {
      var essay = fieldset.querySelector("textarea");
      var answered = essay
        ? essay.value.trim() !== ""
        : fieldset.querySelector("input:checked") !== null;
      if (!answered) missing.push(fieldset);
    });
    return missing;
  }

  submit.addEventListener("click", function (event) {
    if (deadline && new Date() >= deadline) return; // time is up: submit as it is
    var missing = unanswered();
    if (!missing.length) return;
    event.preventDefault();
    count.textContent = String(missing.length);
    box.hidden = false;
    anyway.focus();
  });

  // "Submit anyway" is an ordinary submit button (action=submit): it goes through.
  box.querySelector("[data-keep-answering]").addEventListener("click", function () {
    box.hidden = true;
    var first = unanswered()[0];
    var input = first && first.querySelector("input, textarea");
    if (input) input.focus();
    else submit.focus();
  });
})();
