/* Prints a lesson with its model answers, FAQ answers and diagram descriptions open.
   CSS cannot open a <details>, so the closed ones are opened before printing and
   closed again afterwards, leaving the page as the officer had it. */
(function () {
    "use strict";
    var opened = [];

    window.addEventListener("beforeprint", function () {
        document.querySelectorAll(".lesson__body details:not([open])").forEach(function (details) {
            details.open = true;
            opened.push(details);
        });
    });

    window.addEventListener("afterprint", function () {
        opened.forEach(function (details) {
            details.open = false;
        });
        opened = [];
    });
})();
