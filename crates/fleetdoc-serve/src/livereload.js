// fleetdoc live reload: follows the build events of `fleetdoc watch`.
// Every URL is derived from this script's own address, never from the site root, so it
// works at `/`, under code-server's /proxy/<port>/ and /absproxy/<port>/, or any prefix.
(function () {
  "use strict";
  if (window.__fleetdocLiveReload) return;
  window.__fleetdocLiveReload = true;

  var me = document.currentScript;
  if (!me || !me.src || !window.EventSource) return;
  var eventsUrl = new URL("events", me.src).href;
  var marks = document.querySelectorAll('meta[name="fleetdoc-build"]');
  var pageBuild = marks.length ? marks[marks.length - 1].getAttribute("content") : "";
  var scrollKey = "fleetdoc:scroll:" + location.pathname;
  var overlayId = "fleetdoc-error-overlay";

  // Restore the scroll position saved just before a live reload.
  var saved = null;
  try {
    saved = sessionStorage.getItem(scrollKey);
    sessionStorage.removeItem(scrollKey);
  } catch (e) { /* storage may be disabled */ }
  if (saved !== null) {
    var y = parseFloat(saved);
    if (isFinite(y)) {
      var restore = function () { window.scrollTo(0, y); };
      restore();
      window.addEventListener("load", restore);
    }
  }

  function reload() {
    try { sessionStorage.setItem(scrollKey, String(window.scrollY)); } catch (e) { /* ignore */ }
    location.reload();
  }

  function hideErrors() {
    var old = document.getElementById(overlayId);
    if (old) old.remove();
  }

  // Diagnostics are untrusted text: they only ever reach the page as textContent.
  function showErrors(text) {
    hideErrors();
    var box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:rgba(32,0,0,0.92);color:#fff;padding:2em;font:14px/1.5 monospace;";
    var title = document.createElement("h2");
    title.textContent = "fleetdoc: the last rebuild failed";
    title.style.cssText = "margin:0 0 1em;font:bold 18px sans-serif;color:#ff8a80;";
    var body = document.createElement("pre");
    body.textContent = text;
    body.style.cssText = "white-space:pre-wrap;margin:0;";
    var note = document.createElement("p");
    note.textContent = "Showing the last good pages. Fix the input and save; this page reloads by itself.";
    note.style.cssText = "margin:1em 0 0;font:13px sans-serif;opacity:0.8;";
    box.appendChild(title);
    box.appendChild(body);
    box.appendChild(note);
    (document.body || document.documentElement).appendChild(box);
  }

  var source = new EventSource(eventsUrl);
  source.addEventListener("ready", function (ev) {
    hideErrors();
    if (pageBuild && ev.data !== pageBuild) reload();
  });
  source.addEventListener("reload", function () { reload(); });
  source.addEventListener("error", function (ev) {
    // A lost connection also fires "error" (without data); EventSource retries by itself.
    if (typeof ev.data === "string") showErrors(ev.data);
  });
})();
