// Run, Edit and Reset for every executed block of a page (hooks/runnable.py marks them as div.ag-run).
// Nothing else loads until the first Run; then run-worker.mjs starts Pyodide in a Web Worker.
// Blocks of one markdown-exec session share a namespace: running block k runs the session's blocks 1..k-1
// first (their output is not shown). Stop terminates the worker; the next Run starts a new one.
(() => {
  const script = document.currentScript;
  const config = document.getElementById("ag-run-config");
  const blocks = [...document.querySelectorAll("div.ag-run")];
  if (!script || !config || !blocks.length) return;
  const root = new URL("../../", script.src); // the site root: run.js lives in assets/js/
  const { wheels } = JSON.parse(config.textContent);
  let worker = null, started = null, queue = Promise.resolve(), nextId = 0;
  const pending = new Map();

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    if (text) e.textContent = text;
    return e;
  }

  function startWorker() {
    const url = new URL("run-worker.mjs", script.src);
    url.searchParams.set("wheels", JSON.stringify(wheels.map((w) => new URL(w, root).href)));
    worker = new Worker(url, { type: "module" });
    started = new Promise((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if ("ready" in data) return data.ready ? resolve(data.ms) : reject(new Error(data.error));
        const p = pending.get(data.id);
        pending.delete(data.id);
        if (p) p.resolve(data);
        if (data.fatal) stop(); // Pyodide cannot go on after a fatal error: the next Run starts a new one
      };
      worker.onerror = (e) => reject(new Error(e.message || "the worker failed to load"));
    });
    started.catch(() => {});
  }

  function stop() {
    if (!worker) return;
    worker.terminate();
    worker = null;
    pending.forEach((p) => p.resolve({ out: "", error: "Stopped. The next Run starts Python again." }));
    pending.clear();
  }

  function execute(codes, names) {
    if (!worker) startWorker();
    const id = ++nextId;
    return new Promise((resolve) => {
      pending.set(id, { resolve });
      started.then(
        () => worker.postMessage({ id, codes, names }),
        (e) => { pending.delete(id); resolve({ out: "", error: `Python could not start: ${e.message}` }); },
      );
    });
  }

  // A block's code as built: long hidden glue is fetched when first needed (data-code-src), short glue is in
  // data-code, shown code is read from the page.
  async function builtCode(b) {
    if (b.dataset.codeSrc) return (await fetch(new URL(b.dataset.codeSrc, root))).text();
    return b.dataset.code ?? sourceOf(b);
  }

  const codeOf = (b) => (b.agCode ? b.agCode() : builtCode(b)); // the editor's code, if the block has one

  function sourceOf(block) {
    const shown = block.querySelector(".language-python.highlight code");
    return shown ? shown.textContent.replace(/\n+$/, "") : "";
  }

  // --- one block -----------------------------------------------------------------------------------------

  function parts(block) {
    // The source, as markdown-exec showed it, and the output container (made here when there is none).
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

  function setOutput(block, out, res) {
    out.dataset.state = res.error ? "error" : "ok";
    if (res.error) {
      out.replaceChildren(el("pre", { class: "ag-run-error" }, (res.out || "") + res.error));
    } else if (block.dataset.kind === "html") {
      out.innerHTML = res.out;
      if (window.renderMathInElement) window.renderMathInElement(out);
    } else {
      const pre = out.querySelector("pre");
      const code = el("code", {}, res.out);
      if (pre && pre.closest(".result") === out) pre.replaceChildren(code);
      else {
        const box = el("div", { class: "language-text highlight" });
        box.appendChild(el("pre")).appendChild(code);
        out.replaceChildren(box);
      }
    }
    const tab = out.classList.contains("tabbed-block") && [...out.parentNode.children].indexOf(out);
    const radio = tab !== false && out.closest(".tabbed-set").querySelectorAll(":scope > input")[tab];
    if (radio) radio.click(); // show the output's tab
  }

  function setup(block, index) {
    const why = block.dataset.why;
    const bar = el("div", { class: "ag-run-bar" });
    if (why) {
      if (!block.dataset.source) return; // build glue the page does not show: nothing to explain
      block.prepend(bar);
      bar.appendChild(el("span", { class: "ag-run-why" }, `Runs when the site is built, not here. ${why}`));
      return;
    }
    const { code, out } = parts(block);
    block.prepend(bar);
    const original = { html: out.innerHTML, code: null }; // the code: read at the first Run or Edit
    let editor = null;
    const n = index + 1;
    const run = el("button", { type: "button", class: "ag-run-button" }, "Run");
    run.setAttribute("aria-label", `Run block ${n}`);
    const edit = el("button", { type: "button" }, "Edit");
    edit.setAttribute("aria-label", `Edit block ${n}`);
    const reset = el("button", { type: "button" }, "Reset");
    reset.setAttribute("aria-label", `Reset block ${n}`);
    const halt = el("button", { type: "button", hidden: "" }, "Stop");
    const status = el("span", { class: "ag-run-status", role: "status" });
    bar.append(run, edit, reset, halt, status);
    const codeNow = async () => (editor ? editor.value : (original.code ??= await builtCode(block)));
    block.agCode = codeNow;

    async function openEditor() {
      if (editor) return editor.focus();
      const text = await codeNow();
      if (editor) return editor.focus();
      editor = el("textarea", { class: "ag-run-editor", spellcheck: "false", "aria-label": `Code of block ${n}` });
      editor.value = text;
      editor.rows = Math.min(30, text.split("\n").length + 1);
      editor.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); run.click(); }
        else if (e.key === "Tab" && !e.shiftKey && !editor.agEscaped) {
          e.preventDefault();
          editor.setRangeText("    ", editor.selectionStart, editor.selectionEnd, "end");
        } else if (e.key === "Escape") editor.agEscaped = true; // then Tab leaves the editor
        if (e.key !== "Escape") editor.agEscaped = e.key === "Tab" ? editor.agEscaped : false;
      });
      if (code) { code.hidden = true; code.after(editor); } else bar.after(editor);
      editor.focus();
    }

    run.addEventListener("click", () => {
      const session = block.dataset.session;
      const runs = (b) => b.dataset.session === session && (!b.dataset.why || b.dataset.chain);
      const chain = session ? blocks.filter(runs) : [block];
      const mine = chain.slice(0, chain.indexOf(block) + 1);
      const codes = Promise.all(mine.map(codeOf));
      // the module names markdown-exec gave the blocks (they show in reprs like <..._n1_.Num object>)
      const peers = session ? blocks.filter((b) => b.dataset.session === session) : blocks;
      const names = mine.map((b) => {
        const id = `<code block: ${session ? `session ${session}; ` : ""}n${peers.indexOf(b) + 1}>`;
        return id.replace(/[^a-zA-Z\d]+/g, "_");
      });
      status.textContent = worker ? "Queued…" : "Starting Python (first Run: a few seconds)…";
      run.disabled = true;
      halt.hidden = false;
      queue = queue.then(async () => {
        status.textContent = started && worker ? "Running…" : status.textContent;
        const t0 = performance.now();
        const res = await execute(await codes, names);
        setOutput(block, out, res);
        if (window.agStepperInit) window.agStepperInit(); // a stepper in the new output steps again
        status.textContent = `${res.error ? "Error" : "Done"} in ${Math.round(performance.now() - t0)} ms`;
        run.disabled = false;
        halt.hidden = true;
      });
    });
    edit.addEventListener("click", openEditor);
    halt.addEventListener("click", stop);
    reset.addEventListener("click", () => {
      if (editor) { editor.remove(); editor = null; }
      if (code) code.hidden = false;
      out.innerHTML = original.html;
      delete out.dataset.state;
      status.textContent = "";
    });
  }

  blocks.forEach(setup);
})();
