
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
  }
  if (typeof document$ !== "undefined") document$.subscribe(fix);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
})();
