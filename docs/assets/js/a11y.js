
/* Accessibility fixes the theme and mkdocs-jupyter leave out (checked by axe-core in tests/test_browser.py). */
(function () {
  "use strict";
  function fix() {
    // The search overlay is a dialog: it needs a name.
    document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])').forEach(function (el) {
      el.setAttribute("aria-label", "Search");
    });
    // A region that scrolls sideways must be reachable with the keyboard (Material does this for its own
    // code blocks): notebook code cells and outputs, graphs, wide display maths.
    document.querySelectorAll(
      ".jupyter-wrapper .highlight-ipynb, .jupyter-wrapper .jp-OutputArea-output pre, .ag-graph, .ag-plot, div.arithmatex"
    ).forEach(function (el) {
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) el.tabIndex = 0;
    });
    iconLinks();
    // Material adds the copy buttons on the same signal: measure once they are in.
    requestAnimationFrame(clearCopyButtons);
  }

  // A link that opens with an icon, then a space ("[:material-play-circle: 00:12:34](...)"): the underline
  // would start under the space. Drop the space; the CSS puts a margin after the icon instead.
  function iconLinks() {
    document.querySelectorAll(".md-typeset a > .twemoji:first-child").forEach(function (icon) {
      var next = icon.nextSibling;
      if (next && next.nodeType === Node.TEXT_NODE && /^\s/.test(next.data)) {
        next.data = next.data.replace(/^\s+/, "");
        icon.parentElement.classList.add("ag-icon-link");
      }
    });
  }

  // The right edge of the lines of a code block that start above `bottom` (viewport pixels), where they
  // end, even if scrolled out of view.
  function rightAbove(code, bottom) {
    var walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT), node, range = document.createRange();
    var right = 0, i;
    range.setStart(code, 0);
    while ((node = walker.nextNode())) {
      for (i = node.data.indexOf("\n"); i >= 0; i = node.data.indexOf("\n", i + 1)) {
        range.setEnd(node, i);
        var r = range.getBoundingClientRect();
        if (r.width) right = Math.max(right, r.right);
        if (r.bottom >= bottom) return right;
        range.setStart(node, i + 1);
      }
    }
    range.setEndAfter(code.lastChild || code);
    return Math.max(right, range.getBoundingClientRect().right);
  }

  // Material's copy button covers the top right corner of a code block. Where a line runs under it (long
  // lines on a phone), mark the block: the CSS then starts the code below the button.
  function clearCopyButtons() {
    document.querySelectorAll(".md-typeset pre > .md-code__nav").forEach(function (nav) {
      var pre = nav.parentElement, code = pre.querySelector(":scope > code");
      if (!code || !code.getClientRects().length) return;  // in a closed tab or fold: measured when it opens
      pre.classList.remove("ag-code-clear");  // measure the block as the theme lays it out
      var box = nav.getBoundingClientRect();
      var under = rightAbove(code, box.bottom) + code.scrollLeft > box.left - 4;
      pre.classList.toggle("ag-code-clear", under);
    });
  }
  var resizing;
  function later() {
    clearTimeout(resizing);
    resizing = setTimeout(clearCopyButtons, 150);
  }
  window.addEventListener("resize", later);
  document.addEventListener("change", later);       // a tab (Diagram / Code) opened
  document.addEventListener("toggle", later, true); // a fold (details) opened

  if (typeof document$ !== "undefined") document$.subscribe(fix);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
})();
