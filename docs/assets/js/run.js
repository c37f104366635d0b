// Run, Edit and Reset for every executed block of a page (hooks/runnable.py marks them as div.ag-run):
// this file only adds the buttons. The first click loads run-actions.mjs, which does the rest (the editor,
// the outputs, the Web Worker where run-worker.mjs starts Pyodide): nothing else loads before it.
(() => {
  const script = document.currentScript;
  const config = document.getElementById("ag-run-config");
  const blocks = [...document.querySelectorAll("div.ag-run")];
  if (!script || !config || !blocks.length) return;
  let actions = null;
  const load = () => (actions ??= import(new URL("run-actions.mjs", script.src)).then((m) => {
    m.init({ blocks, root: new URL("../../", script.src), script, ...JSON.parse(config.textContent) });
    return m;
  }));

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text) e.textContent = text;
    return e;
  }

  // The source, as markdown-exec or nbconvert showed it, and the output container (made here when there is
  // none, so that the page holds each block's output in one element before any Run).
  function parts(block) {
    if (block.dataset.kind === "cell") {
      let out = block.querySelector(".jp-OutputArea");
      if (!out) {
        const wrap = block.appendChild(el("div", { class: "jp-Cell-outputWrapper" }));
        out = wrap.appendChild(el("div", { class: "jp-OutputArea jp-Cell-outputArea" }));
      }
      return { code: block.querySelector(".jp-InputArea .highlight-ipynb"), out };
    }
    const where = block.dataset.source;
    const code = where ? block.querySelector(".language-python.highlight") : null;
    const tabs = block.querySelectorAll(".tabbed-block");
    let out = block.querySelector(".result");
    if (!out && tabs.length === 2) out = tabs[where === "tabbed-left" ? 1 : 0];
    if (!out) {
      out = el("div", { class: "ag-run-out" });
      const kids = [...block.childNodes].filter((n) => !(code && (n === code || n.contains(code))));
      kids.forEach((n) => out.appendChild(n));
      if (where === "below") block.insertBefore(out, code); else block.appendChild(out);
    }
    return { code, out };
  }

  function setup(block, index) {
    const bar = el("div", { class: "ag-run-bar" });
    if (block.dataset.why) {
      if (!block.dataset.source && block.dataset.kind !== "cell") return; // unseen build glue: nothing to explain
      block.prepend(bar);
      bar.appendChild(el("span", { class: "ag-run-why" }, `Runs when the site is built, not here. ${block.dataset.why}`));
      return;
    }
    const ui = { block, bar, n: index + 1, ...parts(block) };
    block.prepend(bar);
    for (const [key, label] of [["run", "Run"], ["edit", "Edit"], ["reset", "Reset"], ["halt", "Stop"]]) {
      ui[key] = bar.appendChild(el("button", { type: "button" }, label));
      if (key !== "halt") ui[key].setAttribute("aria-label", `${label} block ${ui.n}`);
      ui[key].addEventListener("click", () => load().then((m) => m[key](ui)));
    }
    ui.run.className = "ag-run-button";
    ui.halt.hidden = true;
    ui.status = bar.appendChild(el("span", { class: "ag-run-status", role: "status" }));
    block.agCode = () => load().then((m) => m.code(ui)); // the code a Run would run (tests read it)
    block.agUi = ui;
  }

  blocks.forEach(setup);
})();
