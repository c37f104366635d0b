/* Progress: tick a chapter (on the master notes) or a topic page (at its top) as done. The ticks are kept
   in this browser's localStorage only: no account, no request, works offline, survives a reload. The master
   notes, the Topics overview and the sidebar show which ones are done. */
(function () {
  "use strict";
  var KEY = "autograd-notes:done";

  function siteBase() {
    try {
      var cfg = JSON.parse(document.getElementById("__config").textContent);
      return new URL(cfg.base, location.href);
    } catch (e) {
      return new URL("./", location.href);
    }
  }

  // A page's key: its path inside the site ("topics/chain-rule/"); a chapter's: "master-notes/#ch06".
  function pageKey(url) {
    var base = siteBase().pathname, p = new URL(url, location.href).pathname;
    if (p.slice(0, base.length) !== base) return null;
    p = p.slice(base.length);
    return p.replace(/index\.html$/, "");
  }

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  function save(done) {
    try { localStorage.setItem(KEY, JSON.stringify(done)); } catch (e) { /* storage off: ticks last the visit */ }
  }

  function toggle(label, key, done, onChange) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "ag-done-toggle";
    b.setAttribute("data-ag-done", key);
    function show() {
      var on = !!done[key];
      b.setAttribute("aria-pressed", String(on));
      b.textContent = (on ? "\u2611 Done" : "\u2610 Mark as done");
      b.setAttribute("aria-label", (on ? "Done: " : "Mark as done: ") + label);
    }
    b.addEventListener("click", function () {
      if (done[key]) delete done[key]; else done[key] = 1;
      save(done);
      show();
      onChange();
    });
    show();
    return b;
  }

  function marks(done) {
    // A tick after every link to a page that is done: master notes, Topics overview, sidebar.
    document.querySelectorAll("article a[href], nav.md-nav--primary a.md-nav__link[href]").forEach(function (a) {
      if (a.closest(".ag-done-toggle") || a.classList.contains("headerlink")) return;
      var href = a.getAttribute("href");
      if (!href || href.charAt(0) === "#" || /^[a-z]+:/i.test(href)) return;
      var k = pageKey(a.href);
      a.classList.toggle("ag-done-link", !!(k && done[k.split("#")[0]]));
    });
    var here = pageKey(location.href);
    document.querySelectorAll("article h2[id^='ch']").forEach(function (h) {
      h.classList.toggle("ag-done-chapter", !!done[here + "#" + h.id]);
    });
    var sum = document.querySelector(".ag-progress-summary");
    if (sum) {
      var chapters = document.querySelectorAll("article h2[id^='ch']").length, c = 0, t = 0;
      Object.keys(done).forEach(function (k) {
        if (k.indexOf(here + "#ch") === 0) c++;
        else if (k.indexOf("topics/") === 0) t++;
      });
      sum.textContent = c + t === 0
        ? "Tick a chapter as done under its heading (or a topic at the top of its page): the ticks show " +
          "here, and stay in this browser only."
        : "Your progress (kept in this browser only): " + c + " of " + chapters + " chapters done, " + t +
          " topic pages done.";
    }
  }

  function init() {
    var article = document.querySelector("article.md-content__inner");
    if (!article || article.getAttribute("data-ag-progress")) return;
    article.setAttribute("data-ag-progress", "1");
    var done = load();
    var here = pageKey(location.href);
    var refresh = function () { marks(done); };
    var h1 = article.querySelector("h1");
    if (here === "master-notes/") {
      var p = document.createElement("p");
      p.className = "ag-progress-summary";
      p.setAttribute("aria-live", "polite");
      if (h1) h1.insertAdjacentElement("afterend", p);
      article.querySelectorAll("h2[id^='ch']").forEach(function (h) {
        var title = h.textContent.replace(/\s*\u00b6\s*$/, "").trim();
        var row = document.createElement("div");
        row.className = "ag-done-row";
        row.appendChild(toggle("chapter " + title, here + "#" + h.id, done, refresh));
        h.insertAdjacentElement("afterend", row);
      });
    } else if (here && here.indexOf("topics/") === 0 && here !== "topics/" && h1) {
      var row = document.createElement("div");
      row.className = "ag-done-row";
      row.appendChild(toggle("topic " + h1.textContent.replace(/\s*\u00b6\s*$/, "").trim(), here, done, refresh));
      h1.insertAdjacentElement("afterend", row);
    }
    refresh();
    // Another tab ticked something: show it here too.
    window.addEventListener("storage", function (e) {
      if (e.key !== KEY) return;
      var now = load();
      Object.keys(done).forEach(function (k) { delete done[k]; });
      Object.keys(now).forEach(function (k) { done[k] = now[k]; });
      document.querySelectorAll(".ag-done-toggle").forEach(function (b) {
        var on = !!done[b.getAttribute("data-ag-done")];
        b.setAttribute("aria-pressed", String(on));
        b.textContent = on ? "\u2611 Done" : "\u2610 Mark as done";
      });
      refresh();
    });
  }
  if (typeof document$ !== "undefined") document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
