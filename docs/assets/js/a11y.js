
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

  // A copy button covers the top right corner of a code block: Material's on pages, mkdocs-jupyter's on
  // notebook cells. Where a line runs under it (long lines on a phone), mark the block: the CSS then starts
  // the code below the button. Each entry: the button, and from it the block to mark and the text element.
  var COPY_BUTTONS = [
    [".md-typeset pre > .md-code__nav", function (b) { return b.parentElement; }, ":scope > code"],
    [".jupyter-wrapper .zeroclipboard-container",
      function (b) { return b.parentElement.querySelector(":scope > .highlight-ipynb"); }, ":scope > pre"],
  ];
  function clearCopyButtons() {
    COPY_BUTTONS.forEach(function (kind) {
      document.querySelectorAll(kind[0]).forEach(function (button) {
        var block = kind[1](button), text = block && block.querySelector(kind[2]);
        if (!text || !text.getClientRects().length) return;  // in a closed tab or fold: measured when it opens
        block.classList.remove("ag-code-clear");  // measure the block as the theme lays it out
        var box = button.getBoundingClientRect();
        var under = rightAbove(text, box.bottom) + block.scrollLeft + text.scrollLeft > box.left - 4;
        block.classList.toggle("ag-code-clear", under);
      });
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
