/* Hall and window screens (叫号显示屏): poll the screen's small JSON with If-None-Match
   (an unchanged hall answers 304 without touching the tickets), draw the current calls, the
   last calls and the waiting counts, and announce every new call (语音叫号):
   - speechSynthesis with a Chinese voice when the machine has one (offline, no service);
   - otherwise a chime made here with the Web Audio API (no audio file);
   - in both cases the call in very large text for 10 s.
   A static file: the Content-Security-Policy allows scripts from our own origin only. */
(function () {
  "use strict";
  var root = document.querySelector("[data-hall-screen]");
  if (!root) { return; }
  var url = root.getAttribute("data-state-url");
  var interval = parseInt(root.getAttribute("data-interval") || "1000", 10);
  var etag = null;
  var seen = null;        // call ids already announced (null until the first answer)
  var queue = [];         // calls waiting to be announced, oldest first
  var speaking = false;
  var audio = null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function fill(selector, items, render) {
    var box = root.querySelector(selector);
    if (!box) { return; }
    box.replaceChildren();
    if (!items.length) {
      box.appendChild(el("li", "screen-empty", box.getAttribute("data-empty") || "—"));
      return;
    }
    items.forEach(function (item) { box.appendChild(render(item)); });
  }

  function callItem(call) {
    var li = el("li", "screen-call");
    li.setAttribute("data-ticket", call.ticket);
    li.appendChild(el("span", "screen-ticket", call.ticket));
    li.appendChild(el("span", "screen-window", call.window_label));
    return li;
  }

  function draw(state) {
    fill("[data-current]", state.current, callItem);
    fill("[data-recent]", state.recent, callItem);
    fill("[data-waiting]", state.waiting, function (w) {
      var li = el("li", "screen-waiting");
      li.setAttribute("data-category", w.code);
      li.appendChild(el("span", "screen-category", w.label));
      li.appendChild(el("span", "screen-count", String(w.count)));
      return li;
    });
    var stamp = root.querySelector("[data-updated]");
    if (stamp) { stamp.textContent = state.updated; }
  }

  function chineseVoice() {
    if (!("speechSynthesis" in window)) { return null; }
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^zh/i.test(voices[i].lang) || /chinese|中文|普通话/i.test(voices[i].name)) {
        return voices[i];
      }
    }
    return null;
  }

  function chime(done) {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { done(); return; }
    try {
      audio = audio || new Ctx();
      if (audio.state === "suspended") { audio.resume(); }
      var t = audio.currentTime;
      [659.25, 523.25, 659.25, 523.25].forEach(function (freq, i) {  // ding-dong, twice
        var osc = audio.createOscillator();
        var gain = audio.createGain();
        osc.type = "sine";
        osc.frequency.value = freq;
        gain.gain.setValueAtTime(0.0001, t + i * 0.45);
        gain.gain.exponentialRampToValueAtTime(0.6, t + i * 0.45 + 0.03);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + i * 0.45 + 0.42);
        osc.connect(gain).connect(audio.destination);
        osc.start(t + i * 0.45);
        osc.stop(t + i * 0.45 + 0.45);
      });
    } catch (e) { /* no audio device: the large text still shows */ }
    window.setTimeout(done, 2000);
  }

  function speak(call, done) {
    var voice = chineseVoice();
    if (!voice) {
      root.setAttribute("data-voice", "chime");
      chime(done);
      return;
    }
    root.setAttribute("data-voice", "speech");
    var utterance = new SpeechSynthesisUtterance(call.speech + "，" + call.speech);
    utterance.voice = voice;
    utterance.lang = voice.lang;
    utterance.rate = 0.9;
    var finished = false;
    var finish = function () { if (!finished) { finished = true; done(); } };
    utterance.onend = finish;
    utterance.onerror = finish;
    window.setTimeout(finish, 12000);  // a voice that never ends must not block the queue
    window.speechSynthesis.speak(utterance);
  }

  function overlay(call) {
    var box = root.querySelector("[data-announce]");
    if (!box) { return; }
    box.querySelector("[data-announce-text]").textContent = call.text;
    box.hidden = false;
    box.setAttribute("data-call", String(call.id));
    window.clearTimeout(box._timer);
    box._timer = window.setTimeout(function () { box.hidden = true; }, 10000);
  }

  function next() {
    if (speaking || !queue.length) { return; }
    var call = queue.shift();
    speaking = true;
    overlay(call);
    root.setAttribute("data-announced", String(call.id));
    speak(call, function () { speaking = false; next(); });
  }

  function announce(state) {
    var calls = state.current.concat(state.recent);
    if (seen === null) {  // the first answer: what was called before the screen opened
      seen = {};
      calls.forEach(function (c) { seen[c.id] = true; });
      return;
    }
    state.current.slice().reverse().forEach(function (c) {
      if (!seen[c.id]) { seen[c.id] = true; queue.push(c); }
    });
    next();
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url, true);
    request.setRequestHeader("Accept", "application/json");
    if (etag) { request.setRequestHeader("If-None-Match", etag); }
    request.onload = function () {
      if (request.status === 200) {
        etag = request.getResponseHeader("ETag");
        var state = JSON.parse(request.responseText);
        draw(state);
        announce(state);
        root.setAttribute("data-version", etag || "");
      }
      root.classList.toggle("screen-offline", request.status !== 200 && request.status !== 304);
      window.setTimeout(poll, interval);
    };
    request.onerror = function () {
      root.classList.add("screen-offline");
      window.setTimeout(poll, interval * 3);
    };
    request.send();
  }

  // A click (or key) once after the screen opens unlocks sound on browsers that wait for a
  // gesture; hall PCs run the browser in kiosk mode with autoplay allowed (docs/hall.md).
  function unlock() {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (Ctx && !audio) { try { audio = new Ctx(); } catch (e) { audio = null; } }
    if (audio && audio.state === "suspended") { audio.resume(); }
    var hint = root.querySelector("[data-sound-hint]");
    if (hint) { hint.hidden = true; }
  }
  document.addEventListener("click", unlock);
  document.addEventListener("keydown", unlock);
  if ("speechSynthesis" in window) {
    window.speechSynthesis.getVoices();  // starts loading the voices
  }
  poll();
})();
