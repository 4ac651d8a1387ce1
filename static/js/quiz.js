// Quiz attempt page: saves answers as the officer goes, shows the time left, and
// submits the attempt when the time is up. The page works without it: "Save answers"
// and "Submit answers" are ordinary form buttons, and the server enforces the deadline.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) return;
  var status = form.querySelector("[data-autosave-status]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var timer = null;
  // Once the form is being submitted, the answers travel with it: an autosave that
  // answers afterwards (409, the attempt is closed) must not reload the quiz page over
  // the result page the submission is on its way to.
  var submitting = false;
  form.addEventListener("submit", function () {
    submitting = true;
    clearTimeout(timer);
  });

  function answerFor(fieldset) {
    var hidden = fieldset.parentElement.querySelector("input[name=questions]");
    var id = Number(hidden.value);
    var essay = fieldset.querySelector("textarea");
    if (essay) return { question: id, essay: essay.value };
    var chosen = [];
    fieldset.querySelectorAll("input:checked").forEach(function (input) {
      chosen.push(Number(input.value));
    });
    return { question: id, choices: chosen };
  }

  function save(fieldset) {
    status.textContent = form.dataset.savingText;
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ answers: [answerFor(fieldset)] }),
    })
      .then(function (response) {
        if (submitting) return;
        return response.json().then(function (body) {
          if (response.ok) {
            status.textContent = form.dataset.savedText;
          } else {
            status.textContent = body.error || form.dataset.failedText;
            if (response.status === 409) window.location.reload();
          }
        });
      })
      .catch(function () {
        if (submitting) return;
        status.textContent = form.dataset.failedText;
      });
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset");
    if (fieldset) save(fieldset);
  });
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") return;
    var fieldset = event.target.closest("fieldset");
    clearTimeout(timer);
    timer = setTimeout(function () { save(fieldset); }, 1500);
  });

  var deadline = form.dataset.deadline ? new Date(form.dataset.deadline) : null;
  var countdown = form.querySelector("[data-countdown]");
  if (deadline && countdown) {
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - new Date()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = String(left % 60).padStart(2, "0");
      countdown.textContent = minutes + ":" + seconds;
      if (left === 0) {
        clearInterval(interval);
        form.querySelector("[data-submit]").click();
      }
    };
    var interval = setInterval(tick, 1000);
    tick();
  }
})();
