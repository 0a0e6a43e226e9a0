// Read-aloud buttons: the phone's own voice in the page's language (no text leaves the device). Where the
// phone has no such voice, the server speaks the page's own texts, named by catalogue key (never free text).
(function () {
  "use strict";
  var lang = document.body.getAttribute("data-speech-lang") || "nl-BE";
  var server = document.body.getAttribute("data-server-speech");
  var synth = ("speechSynthesis" in window && typeof SpeechSynthesisUtterance !== "undefined") ? window.speechSynthesis : null;
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-speak]"));
  var audio = null;
  if (!buttons.length) { return; }

  function pickVoice() {
    if (!synth) { return null; }
    var voices = synth.getVoices() || [];
    var exact = voices.filter(function (v) { return v.lang === lang; });
    if (exact.length) { return exact[0]; }
    var base = lang.split("-")[0];
    var near = voices.filter(function (v) { return v.lang && v.lang.replace("_", "-").indexOf(base) === 0; });
    return near.length ? near[0] : null;
  }

  function idle(b) { b.setAttribute("aria-pressed", "false"); }

  function stop() {
    if (synth) { synth.cancel(); }
    if (audio) { audio.pause(); audio = null; }
    buttons.forEach(idle);
  }

  function speakHere(button) {
    var target = document.getElementById(button.getAttribute("data-speak"));
    if (!target) { return; }
    var u = new SpeechSynthesisUtterance(target.textContent.replace(/\s+/g, " ").trim());
    u.lang = lang;
    u.voice = pickVoice();
    u.rate = 0.9;
    button.setAttribute("aria-pressed", "true");
    u.onend = u.onerror = function () { idle(button); };
    synth.speak(u);
  }

  function speakFromServer(button) {
    var keys = button.getAttribute("data-say").split(" ");
    var url = server + "?" + keys.map(function (k) { return "k=" + encodeURIComponent(k); }).join("&");
    button.setAttribute("aria-pressed", "true");
    audio = new Audio(url);  // same origin: the page's CSP allows it without blob: URLs
    audio.onended = function () { idle(button); };
    audio.onerror = function () {
      idle(button);
      // espeak-ng gone from the server since the page loaded: the buttons go away.
      fetch(server + "/status", { credentials: "same-origin" }).then(function (r) {
        if (r.status === 503) { show("none"); }
      }).catch(function () {});
    };
    audio.play().catch(function () { idle(button); });
  }

  // mode: "phone" (every button), "server" (buttons that name their texts) or "none".
  function show(mode) {
    buttons.forEach(function (b) {
      b.hidden = !(mode === "phone" || (mode === "server" && b.hasAttribute("data-say")));
      b.setAttribute("data-mode", mode);
      idle(b);
    });
  }

  buttons.forEach(function (b) {
    b.addEventListener("click", function () {
      var busy = b.getAttribute("aria-pressed") === "true";
      stop();
      if (busy) { return; }
      if (b.getAttribute("data-mode") === "phone") { speakHere(b); } else { speakFromServer(b); }
    });
  });

  var decided = false;
  function decide() {
    if (decided) { return; }
    if (pickVoice()) { decided = true; show("phone"); }
  }
  function fallback() {
    if (decided) { return; }
    decided = true;
    if (!server) { return; }
    fetch(server + "/status", { credentials: "same-origin" }).then(function (r) {
      if (r.status === 204 && !pickVoice()) { show("server"); }
    }).catch(function () {});
  }
  decide();
  if (synth) { synth.addEventListener("voiceschanged", decide); }
  // Voices load late in some browsers; without a voice in this language after a moment, ask the server.
  setTimeout(fallback, synth ? 800 : 0);
})();
