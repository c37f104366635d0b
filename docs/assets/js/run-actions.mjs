// What Run, Edit, Reset and Stop do (run.js made the buttons and loads this file at the first click).
// Blocks of one markdown-exec session share a namespace: running block k runs the session's blocks 1..k-1
// first (their output is not shown). A notebook page's code cells (data-kind="cell") are one session, and
// their output area shows what Jupyter would. Stop terminates the worker; the next Run starts a new one.
let ctx = null, worker = null, started = null, queue = Promise.resolve(), nextId = 0;
const pending = new Map();

export function init(context) {
  ctx = context; // {blocks, root, script, wheels}
}

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
  if (text) e.textContent = text;
  return e;
}

// --- the worker --------------------------------------------------------------------------------------------

function startWorker() {
  const url = new URL("run-worker.mjs", import.meta.url);
  url.searchParams.set("wheels", JSON.stringify(ctx.wheels.map((w) => new URL(w, ctx.root).href)));
  worker = new Worker(url, { type: "module" });
  started = new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if ("ready" in data) return data.ready ? resolve(data.ms) : reject(new Error(data.error));
      const p = pending.get(data.id);
      pending.delete(data.id);
      if (p) p.resolve(data);
      if (data.fatal) stopWorker(); // Pyodide cannot go on after a fatal error: the next Run starts a new one
    };
    worker.onerror = (e) => reject(new Error(e.message || "the worker failed to load"));
  });
  started.catch(() => {});
}

function stopWorker() {
  if (!worker) return;
  worker.terminate();
  worker = null;
  pending.forEach((p) => p.resolve({ out: "", error: "Stopped. The next Run starts Python again." }));
  pending.clear();
}

function execute(codes, names, cell) {
  if (!worker) startWorker();
  const id = ++nextId;
  return new Promise((resolve) => {
    pending.set(id, { resolve });
    started.then(
      () => worker.postMessage({ id, codes, names, cell }),
      (e) => { pending.delete(id); resolve({ out: "", error: `Python could not start: ${e.message}` }); },
    );
  });
}

// --- code --------------------------------------------------------------------------------------------------

// A block's code as built: long hidden glue is fetched when first needed (data-code-src), short glue is in
// data-code, shown code is read from the page (a notebook cell: mkdocs-jupyter's copy of it).
async function builtCode(b) {
  if (b.dataset.codeSrc) return (await fetch(new URL(b.dataset.codeSrc, ctx.root))).text();
  if (b.dataset.code !== undefined) return b.dataset.code;
  const cell = b.querySelector(".jp-InputArea .clipboard-copy-txt");
  if (cell) return cell.textContent;
  const shown = b.querySelector(".language-python.highlight code");
  return shown ? shown.textContent.replace(/\n+$/, "") : "";
}

// The code a Run of the block runs: the editor's, once it has one.
export async function code(ui) {
  return ui.editor ? ui.editor.value : (ui.built ??= await builtCode(ui.block));
}

const codeOf = (b) => (b.agUi ? code(b.agUi) : builtCode(b)); // blocks with no buttons run as built

// --- output ------------------------------------------------------------------------------------------------

// Show the content tab that holds node (markdown-exec puts source and output in two tabs).
function showTab(node) {
  const tab = node.closest(".tabbed-block");
  const i = tab ? [...tab.parentNode.children].indexOf(tab) : -1;
  const radio = i >= 0 && tab.closest(".tabbed-set").querySelectorAll(":scope > input")[i];
  if (radio) radio.click();
}

// A cell's outputs as nbconvert lays them out: [mime type, text] in order (run-worker.mjs).
function cellOutputs(json) {
  return (json ? JSON.parse(json) : []).map(([mime, text]) => {
    const child = el("div", { class: "jp-OutputArea-child" });
    child.appendChild(el("div", { class: "jp-OutputPrompt jp-OutputArea-prompt" }));
    const html = mime === "text/html";
    const box = child.appendChild(el("div", {
      class: html ? "jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output" : "jp-RenderedText jp-OutputArea-output",
      "data-mime-type": mime,
    }));
    if (html) box.innerHTML = text; else box.appendChild(el("pre", {}, text));
    return child;
  });
}

function setOutput(block, out, res) {
  out.dataset.state = res.error ? "error" : "ok";
  // Work on copies: the built nodes stay as they are (with their figure viewer or stepper) for Reset.
  out.replaceChildren(...[...out.childNodes].map((n) => n.cloneNode(true)));
  if (block.dataset.kind === "cell") {
    out.replaceChildren(...cellOutputs(res.out));
    if (res.error) out.appendChild(el("pre", { class: "ag-run-error" }, res.error));
  } else if (res.error) {
    out.replaceChildren(el("pre", { class: "ag-run-error" }, (res.out || "") + res.error));
  } else if (block.dataset.kind === "html") {
    out.innerHTML = res.out;
  } else {
    const pre = out.querySelector("pre");
    const text = el("code", {}, res.out);
    if (pre && pre.closest(".result") === out) pre.replaceChildren(text);
    else {
      const box = el("div", { class: "language-text highlight" });
      box.appendChild(el("pre")).appendChild(text);
      out.replaceChildren(box);
    }
  }
  if (!res.error && window.renderMathInElement) window.renderMathInElement(out);
  showTab(out);
  if (window.agFigureInit) window.agFigureInit(); // a new figure gets its zoom bar, as the built ones have
  if (window.agStepperInit) window.agStepperInit(); // a stepper in the new output steps again
}

// --- the buttons -------------------------------------------------------------------------------------------

export async function edit(ui) {
  if (ui.editor) return ui.editor.focus();
  const text = await code(ui);
  if (ui.editor) return ui.editor.focus();
  const box = el("textarea", { class: "ag-run-editor", spellcheck: "false", "aria-label": `Code of block ${ui.n}` });
  box.value = text;
  box.rows = Math.min(30, text.split("\n").length + 1);
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); ui.run.click(); }
    else if (e.key === "Tab" && !e.shiftKey && !box.agEscaped) {
      e.preventDefault();
      box.setRangeText("    ", box.selectionStart, box.selectionEnd, "end");
    } else if (e.key === "Escape") box.agEscaped = true; // then Tab leaves the editor
    if (e.key !== "Escape") box.agEscaped = e.key === "Tab" ? box.agEscaped : false;
  });
  ui.editor = box;
  if (ui.code) { ui.code.hidden = true; ui.code.after(box); showTab(box); } else ui.bar.after(box);
  box.focus();
}

export function run(ui) {
  const { block, status } = ui;
  if (ui.run.disabled) return;
  const session = block.dataset.session;
  const runs = (b) => b.dataset.session === session && (!b.dataset.why || b.dataset.chain);
  const chain = session ? ctx.blocks.filter(runs) : [block];
  const mine = chain.slice(0, chain.indexOf(block) + 1);
  const codes = Promise.all(mine.map(codeOf));
  // the module names markdown-exec gave the blocks (they show in reprs like <..._n1_.Num object>)
  const peers = session ? ctx.blocks.filter((b) => b.dataset.session === session) : ctx.blocks;
  const names = mine.map((b) => {
    if (b.dataset.kind === "cell") return "__main__"; // as in Jupyter
    const id = `<code block: ${session ? `session ${session}; ` : ""}n${peers.indexOf(b) + 1}>`;
    return id.replace(/[^a-zA-Z\d]+/g, "_");
  });
  status.textContent = worker ? "Queued…" : "Starting Python (first Run: a few seconds)…";
  ui.run.disabled = true;
  ui.halt.hidden = false;
  queue = queue.then(async () => {
    status.textContent = started && worker ? "Running…" : status.textContent;
    const t0 = performance.now();
    const res = await execute(await codes, names, block.dataset.kind === "cell");
    ui.original ??= [...ui.out.childNodes]; // the built output, live, for Reset
    setOutput(block, ui.out, res);
    status.textContent = `${res.error ? "Error" : "Done"} in ${Math.round(performance.now() - t0)} ms`;
    ui.run.disabled = false;
    ui.halt.hidden = true;
  });
}

export function halt() {
  stopWorker();
}

export function reset(ui) {
  if (ui.editor) { ui.editor.remove(); ui.editor = null; }
  if (ui.code) ui.code.hidden = false;
  if (ui.original) ui.out.replaceChildren(...ui.original);
  delete ui.out.dataset.state;
  ui.status.textContent = "";
}
