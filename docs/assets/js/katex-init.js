/* Render the site's maths with the vendored KaTeX (docs/assets/vendor/katex/).
 *
 * Markdown pages: pymdownx.arithmatex (generic mode) leaves \( ... \) in <span class="arithmatex">
 * and \[ ... \] in <div class="arithmatex">; each is rendered in place.
 * Notebook pages: mkdocs-jupyter keeps $...$ and $$...$$ in the cells' HTML and adds a loader that
 * fetches MathJax from a CDN unless window.MathJax already exists. The small stand-in below is that
 * MathJax: the loader finds it, calls typesetPromise() on the notebook, and KaTeX does the work.
 * So no page requests anything from another origin.
 */
(function () {
  "use strict";

  var NOTEBOOK_DELIMITERS = [
    { left: "$$", right: "$$", display: true },
    { left: "\\[", right: "\\]", display: true },
    { left: "\\begin{equation}", right: "\\end{equation}", display: true },
    { left: "\\begin{align}", right: "\\end{align}", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\(", right: "\\)", display: false }
  ];

  function renderArithmatex(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (el.dataset.katex) return;
      var tex = el.textContent.trim();
      var display = el.tagName === "DIV";
      // Strip the delimiters arithmatex wrote: \( \) inline, \[ \] display
      if (tex.startsWith("\\(") || tex.startsWith("\\[")) tex = tex.slice(2, -2);
      try {
        katex.render(tex, el, { displayMode: display, throwOnError: false });
        el.dataset.katex = "1";
      } catch (err) {
        console.error("KaTeX could not render", tex, err);
      }
    });
  }

  function renderNotebook(node) {
    renderMathInElement(node, {
      delimiters: NOTEBOOK_DELIMITERS,
      throwOnError: false,
      // Code cells and their printed output are not maths
      ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option", "svg"],
      ignoredClasses: ["katex", "jp-InputArea-editor", "highlight"]
    });
  }

  function renderAll() {
    renderArithmatex(document);
    document.querySelectorAll(".jupyter-wrapper").forEach(renderNotebook);
  }

  // The MathJax stand-in for mkdocs-jupyter's loader (it only needs these members).
  if (!window.MathJax) {
    window.MathJax = {
      startup: { promise: Promise.resolve(), typeset: false },
      typesetPromise: function (nodes) {
        (nodes || [document.body]).forEach(renderNotebook);
        return Promise.resolve();
      },
      typesetClear: function () {},
      texReset: function () {}
    };
  }

  // Material's document$ emits on every page load; without it, wait for the DOM.
  if (typeof document$ !== "undefined") {
    document$.subscribe(renderAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
