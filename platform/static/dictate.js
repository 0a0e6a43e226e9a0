// Speak instead of type: the browser's own speech recognition fills a text field, where the browser has it.
(function () {
  "use strict";
  var Rec = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (!Rec) { return; }
  var lang = document.body.getAttribute("data-speech-lang") || "nl-BE";
  document.querySelectorAll("button.dictate").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-dictate"));
      if (!field) { return; }
      var rec = new Rec();
      rec.lang = lang;
      rec.interimResults = false;
      button.setAttribute("aria-pressed", "true");
      rec.onresult = function (e) {
        var said = e.results[0][0].transcript;
        field.value = field.value ? field.value + " " + said : said;
      };
      rec.onend = rec.onerror = function () { button.setAttribute("aria-pressed", "false"); field.focus(); };
      rec.start();
    });
  });
})();
