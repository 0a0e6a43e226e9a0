// Read-aloud buttons: the browser's own speech synthesis, in the page's language (no text leaves the device).
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") { return; }
  var lang = document.body.getAttribute("data-speech-lang") || "nl-BE";
  var synth = window.speechSynthesis;

  function pickVoice() {
    var voices = synth.getVoices() || [];
    var exact = voices.filter(function (v) { return v.lang === lang; });
    if (exact.length) { return exact[0]; }
    var base = lang.split("-")[0];
    var near = voices.filter(function (v) { return v.lang && v.lang.indexOf(base) === 0; });
    return near.length ? near[0] : null;
  }

  function speak(button) {
    var target = document.getElementById(button.getAttribute("data-speak"));
    if (!target) { return; }
    synth.cancel();
    var u = new SpeechSynthesisUtterance(target.textContent.replace(/\s+/g, " ").trim());
    u.lang = lang;
    var voice = pickVoice();
    if (voice) { u.voice = voice; }
    u.rate = 0.9;
    button.setAttribute("aria-pressed", "true");
    u.onend = u.onerror = function () { button.setAttribute("aria-pressed", "false"); };
    synth.speak(u);
  }

  document.querySelectorAll("button[data-speak]").forEach(function (b) {
    b.hidden = false;
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", function () {
      if (b.getAttribute("aria-pressed") === "true") { synth.cancel(); b.setAttribute("aria-pressed", "false"); }
      else { speak(b); }
    });
  });
})();
