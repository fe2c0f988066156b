// fleetdoc search: loaded by fleetdoc.js on the first focus of the search box, it reads the
// index that `fleetdoc build` wrote to assets/search/ (relative to the page, so it works under any
// path prefix) and shows the sections that hold every word typed, narrowed by host,
// service, kind and tag. Nothing is fetched from outside the site. Its word rules match
// src/render/search.rs.
(function () {
  "use strict";
  var box = document.getElementById("search-q");
  var panel = document.getElementById("search-panel");
  var wrap = box && box.closest(".search");
  if (!box || !panel || !wrap || wrap.getAttribute("data-ready")) return;
  wrap.setAttribute("data-ready", "1");
  var root = box.getAttribute("data-root") || "";
  var STOP = ["an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "is", "it", "of",
    "on", "or", "the", "this", "to", "was", "with"];
  var SHOWN = 20;
  var index = null, shards = {}, blocks = {}, picked = {}, run = 0;

  panel.innerHTML = '<div class="search-filters"></div><p class="search-status" role="status"></p><ol class="search-hits"></ol>';
  var filters = panel.querySelector(".search-filters");
  var status = panel.querySelector(".search-status");
  var hits = panel.querySelector(".search-hits");

  function open() { panel.hidden = false; }
  function close() { panel.hidden = true; }
  function say(text) { status.textContent = text; }

  function get(name) {
    return fetch(root + "assets/search/" + name, { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
  }

  function words(q) {
    return (q.toLowerCase().match(/[\p{Alphabetic}\p{N}]+/gu) || []).filter(function (w) {
      var n = Array.from(w).length;
      return n >= 2 && n <= 40 && STOP.indexOf(w) < 0;
    });
  }
  function shardOf(w) {
    var c = Array.from(w);
    var a = c[0].codePointAt(0), b = c.length > 1 ? c[1].codePointAt(0) : 0;
    return ((Math.imul(a, 31) + b) >>> 0) % index.shards;
  }
  function shard(n) {
    if (!shards[n]) shards[n] = get("t-" + n + ".json");
    return shards[n];
  }
  function block(n) {
    if (!blocks[n]) blocks[n] = get("d-" + n + ".json");
    return blocks[n];
  }
  // The page a section belongs to: pages list their first section, in order.
  function pageOf(sec) {
    var lo = 0, hi = index.pages.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (index.pages[mid].s <= sec) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  function sectionsOf(p) {
    var end = p + 1 < index.pages.length ? index.pages[p + 1].s : index.sections;
    var out = [];
    for (var s = index.pages[p].s; s < end; s++) out.push(s);
    return out;
  }
  function passes(p) {
    var f = index.pages[p].f;
    for (var g in picked) if (picked[g] !== "" && f.indexOf(+picked[g]) < 0) return false;
    return true;
  }

  // One word's matches: section -> score and page -> score (its title). A whole word
  // counts twice what a word it only starts counts. A word's sections are gaps from the
  // previous section times 16 plus the weight; its pages are gaps from the previous page.
  function matches(w, sh) {
    var secs = {}, pages = {};
    function each(map, add) {
      for (var k in map) {
        if (k.lastIndexOf(w, 0) !== 0) continue;
        add(map[k], k === w ? 2 : 1);
      }
    }
    each(sh.s, function (list, x) {
      for (var i = 0, s = 0; i < list.length; i++) {
        s += Math.floor(list[i] / 16);
        secs[s] = Math.max(secs[s] || 0, (list[i] % 16) * x);
      }
    });
    each(sh.p, function (list, x) {
      for (var i = 0, p = 0; i < list.length; i++) {
        p += list[i];
        pages[p] = Math.max(pages[p] || 0, 6 * x);
      }
    });
    return { secs: secs, pages: pages };
  }

  function search() {
    var ws = words(box.value), mine = ++run;
    var any = Object.keys(picked).some(function (g) { return picked[g] !== ""; });
    if (!ws.length) {
      if (!any) { hits.innerHTML = ""; say(box.value.trim() ? "Type at least two letters." : "Type to search, or pick a filter."); return; }
      var all = [];
      index.pages.forEach(function (pg, p) { if (passes(p) && sectionsOf(p).length) all.push([pg.s, 0]); });
      return show(all, [], mine);
    }
    Promise.all(ws.map(function (w) { return shard(shardOf(w)); })).then(function (got) {
      if (mine !== run) return;
      var score = null;
      ws.forEach(function (w, i) {
        var m = matches(w, got[i]), next = {};
        if (score === null) {
          for (var s in m.secs) next[s] = m.secs[s];
          for (var p in m.pages) sectionsOf(+p).forEach(function (s) { next[s] = (next[s] || 0) + m.pages[p]; });
        } else {
          for (var t in score) {
            var add = (m.secs[t] || 0) + (m.pages[pageOf(+t)] || 0);
            if (add) next[t] = score[t] + add;
          }
        }
        score = next;
      });
      var found = [];
      for (var s in score) if (passes(pageOf(+s))) found.push([+s, score[s]]);
      found.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
      show(found, ws, mine);
    }, fail);
  }

  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
  }
  function mark(text, ws) {
    var out = esc(text);
    if (!ws.length) return out;
    var re = new RegExp("(^|[^\\p{Alphabetic}\\p{N}])(" + ws.map(function (w) {
      return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")", "giu");
    return out.replace(re, "$1<mark>$2</mark>");
  }

  function show(found, ws, mine) {
    var top = found.slice(0, SHOWN);
    var need = {};
    top.forEach(function (f) { need[Math.floor(f[0] / index.block)] = 1; });
    Promise.all(Object.keys(need).map(function (b) { return block(b).then(function (rows) { return [b, rows]; }); })).then(function (got) {
      if (mine !== run) return;
      var rows = {};
      got.forEach(function (g) { rows[g[0]] = g[1]; });
      hits.innerHTML = top.map(function (f) {
        var sec = f[0], pg = index.pages[pageOf(sec)];
        var row = (rows[Math.floor(sec / index.block)] || [])[sec % index.block] || ["", "", ""];
        var href = root + pg.u + (row[0] ? "#" + encodeURIComponent(row[0]) : "");
        return '<li><a class="search-hit" href="' + esc(href) + '"><span class="hit-title">' + mark(pg.t, ws) +
          (row[1] ? ' <span class="hit-sep">›</span> ' + mark(row[1], ws) : "") + "</span>" +
          (row[2] ? '<span class="hit-text">' + mark(row[2], ws) + "</span>" : "") + "</a></li>";
      }).join("");
      // The query these results are for (the box may already hold the next one).
      hits.setAttribute("data-for", box.value);
      say(found.length === 0 ? "No results." : found.length > SHOWN
        ? found.length + " results, the first " + SHOWN + " shown." : found.length + (found.length === 1 ? " result." : " results."));
    }, fail);
  }

  function fail(e) {
    hits.innerHTML = "";
    say("The search index could not be read (" + (e && e.message ? e.message : e) + "). Rebuild the site with fleetdoc build.");
  }

  function filterControls() {
    var n = 0;
    filters.innerHTML = index.filters.map(function (g) {
      var first = n;
      n += g.values.length;
      if (!g.values.length) return "";
      var id = "search-f-" + g.name;
      return '<label for="' + id + '">' + esc(g.label) + '</label><select id="' + id + '" data-group="' + esc(g.name) + '"><option value="">any</option>' +
        g.values.map(function (v, i) { return '<option value="' + (first + i) + '">' + esc(v[1]) + "</option>"; }).join("") + "</select>";
    }).join("");
    filters.addEventListener("change", function (e) {
      var g = e.target.getAttribute("data-group");
      if (g) { picked[g] = e.target.value; search(); }
    });
  }

  function links() { return Array.prototype.slice.call(hits.querySelectorAll("a")); }
  box.addEventListener("input", function () { open(); if (index) search(); });
  var quiet = false;
  box.addEventListener("focus", function () { if (!quiet) open(); });
  box.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) { e.preventDefault(); open(); links()[0].focus(); }
    else if (e.key === "Enter" && links().length) { e.preventDefault(); links()[0].click(); }
    else if (e.key === "Escape") { e.preventDefault(); if (panel.hidden) box.blur(); else close(); }
  });
  hits.addEventListener("keydown", function (e) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && at >= 0) { e.preventDefault(); (all[at + 1] || all[at]).focus(); }
    else if (e.key === "ArrowUp" && at >= 0) { e.preventDefault(); (at > 0 ? all[at - 1] : box).focus(); }
  });
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); close(); quiet = true; box.focus(); quiet = false; }
  });
  document.addEventListener("click", function (e) { if (!wrap.contains(e.target)) close(); });

  open();
  if (location.protocol === "file:") {
    say("Search needs the site to be served: run fleetdoc serve (or fleetdoc watch) and open the address it prints. Opened from disk, a page cannot read the search index.");
    return;
  }
  say("Loading the search index…");
  get("index.json").then(function (m) {
    if (m.version !== 2) throw new Error("index format " + m.version);
    index = m;
    filterControls();
    search();
  }).catch(fail);
})();
