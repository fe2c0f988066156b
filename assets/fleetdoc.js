// fleetdoc: small progressive enhancements. The site works without JavaScript.
(function () {
  "use strict";
  // A copy button on every code block: runbooks are full of commands.
  document.querySelectorAll("pre > code").forEach(function (code) {
    var pre = code.parentElement;
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "copy";
    btn.textContent = "Copy";
    btn.setAttribute("aria-label", "Copy this code block");
    btn.addEventListener("click", function () {
      var text = copyText(code);
      var done = function () { btn.textContent = "Copied"; setTimeout(function () { btn.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
      } else { fallback(text); done(); }
    });
    pre.appendChild(btn);
  });
  // A console session copies its commands only: no `$ ` prompts, no output.
  function copyText(code) {
    if (!code.classList.contains("console")) return code.innerText;
    var c = code.cloneNode(true);
    c.querySelectorAll(".prompt, .output").forEach(function (e) { e.remove(); });
    return c.textContent.replace(/\n$/, "");
  }
  function fallback(text) {
    var ta = document.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
    document.body.appendChild(ta); ta.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing to do */ }
    document.body.removeChild(ta);
  }
  // Markdown tables, code blocks and diagrams scroll sideways on a phone: reachable by
  // keyboard, and a wide table or diagram says that it scrolls.
  document.querySelectorAll(".prose > table, pre").forEach(function (el) {
    if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
    if (el.tagName === "TABLE") { el.setAttribute("role", "region"); el.setAttribute("aria-label", "table"); }
  });
  function hints() {
    document.querySelectorAll(".table-wrap, .prose > table, .diagram-svg").forEach(function (el) {
      var hint = el.previousElementSibling;
      var has = hint && hint.classList.contains("scroll-hint");
      var wide = el.scrollWidth > el.clientWidth + 2;
      if (wide && !has) {
        var p = document.createElement("p");
        p.className = "scroll-hint";
        p.textContent = el.classList.contains("diagram-svg")
          ? "Wide diagram: scroll sideways \u2192"
          : "Wide table: scroll sideways for more columns \u2192";
        el.parentNode.insertBefore(p, el);
      } else if (!wide && has) {
        hint.remove();
      }
    });
  }
  hints();
  window.addEventListener("resize", hints);
  // Pinned header: its measured height, so jumps to a section land below it (the style
  // sheet holds a close guess for when scripts do not run).
  var pinned = document.querySelector("header.top");
  function headerHeight() {
    if (pinned) document.documentElement.style.setProperty("--header-h", pinned.offsetHeight + "px");
  }
  window.addEventListener("resize", headerHeight);

  // Dark/light toggle: the system's scheme until the reader picks one, then remembered.
  (function () {
    var header = document.querySelector("header.top");
    if (!header || !window.matchMedia) return;
    var root = document.documentElement;
    var dark = function () {
      var t = root.getAttribute("data-theme");
      return t ? t === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    };
    var btn = document.createElement("button");
    btn.type = "button";
    btn.className = "theme-toggle";
    var show = function () {
      // On a phone the word "theme" is left out, so the button stays on the nav's line.
      btn.innerHTML = (dark() ? "Light" : "Dark") + '<span class="theme-word"> theme</span>';
      btn.setAttribute("aria-label", dark() ? "Switch to the light theme" : "Switch to the dark theme");
    };
    btn.addEventListener("click", function () {
      var t = dark() ? "light" : "dark";
      root.setAttribute("data-theme", t);
      try { localStorage.setItem("fleetdoc-theme", t); } catch (e) { /* not remembered */ }
      show();
    });
    show();
    (header.querySelector("nav") || header).appendChild(btn);
  })();
  // Measured once the header holds everything it shows, and again whenever it wraps.
  headerHeight();
  if (pinned && window.ResizeObserver) new ResizeObserver(headerHeight).observe(pinned);
  // Search: the box loads assets/search.js (which loads the index) on its first focus
  // only; `/` focuses it, unless the reader is typing in a field.
  (function () {
    var box = document.getElementById("search-q");
    if (!box) return;
    box.addEventListener("focus", function () {
      if (box.getAttribute("data-loading")) return;
      box.setAttribute("data-loading", "1");
      var s = document.createElement("script");
      s.src = box.getAttribute("data-script");
      document.head.appendChild(s);
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target, tag = t && t.tagName;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      box.focus();
    });
  })();
  // Opened from disk (file://), a link to a folder shows a directory listing: point the
  // site's own folder links at their index.html instead.
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var h = a.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:/i.test(h) || h.charAt(0) === "#") return;
      var m = h.match(/^([^?#]*)(.*)$/);
      if (m[1] === "" ) return;
      if (m[1].slice(-1) === "/" || m[1] === "." || m[1] === "..") {
        a.setAttribute("href", m[1].replace(/\/?$/, "/") + "index.html" + m[2]);
      }
    });
  }
})();
