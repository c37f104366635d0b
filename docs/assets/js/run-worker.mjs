// The Python of the page: Pyodide in a Web Worker, started by run.js at the first Run.
// Messages in:  {id, codes: [...], names: [...], cell}  runs codes[0..n-2] silently, then codes[n-1], in one
//               fresh namespace; names[i] is block i's module name, as markdown-exec named it at build time;
//               cell: notebook cells, run as Jupyter runs them (the last expression's value is displayed)
// Messages out: {ready, ms} once; then per run {id, out, error, ms, fatal}; for cells, out is a JSON list of
//               [mime type, text] in display order ("text/plain" or "text/html")
// Everything loads from the site's own origin (../vendor/), relative to this file: works under any sub-path.
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

const here = new URL(".", import.meta.url);
const wheels = JSON.parse(new URL(import.meta.url).searchParams.get("wheels") || "[]");

// The prelude runs once: it defines how a block runs, the way markdown-exec ran it at build time
// (print() writes to a buffer; the session's blocks share one namespace named after the session).
const PRELUDE = `
import ast, json, linecache, sys, traceback, types

# A worker's stack is small: at CPython's default limit of 1000, runaway recursion through dunder
# methods (each level also nests C calls) overflows it and kills Pyodide before RecursionError is raised.
sys.setrecursionlimit(400)

# Jupyter is not here. The notebooks use two things of IPython.display: HTML(...) and display(...);
# this stand-in gives them, and what they display goes where Jupyter would put it.
_ag_shown = []

def _ag_display(*objs):
    for obj in objs:
        html = getattr(obj, "_repr_html_", None)
        _ag_shown.append(["text/html", html()] if html else ["text/plain", repr(obj)])

class _AgHTML:
    def __init__(self, data=None):
        self.data = data
    def _repr_html_(self):
        return self.data

if "IPython" not in sys.modules:
    _ipy = types.ModuleType("IPython")
    _ipy.display = types.ModuleType("IPython.display")
    _ipy.display.HTML, _ipy.display.display = _AgHTML, _ag_display
    sys.modules["IPython"], sys.modules["IPython.display"] = _ipy, _ipy.display

def _ag_exec(code, file, ns, cell):
    tree = ast.parse(code, file)
    last = tree.body.pop() if cell and tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, file, "exec"), ns)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), file, "eval"), ns)
        if value is not None:
            _ag_display(value)

def _ag_run(codes, names, cell=False):
    out = []
    def write(text):  # print() writes here; for cells, next to what display() shows, in order
        if cell and _ag_shown and _ag_shown[-1][0] == "text/plain+stream":
            _ag_shown[-1][1] += text
        elif cell:
            _ag_shown.append(["text/plain+stream", text])
        else:
            out.append(text)
    ns = {"print": lambda *a, sep=" ", end="\\n", **k: write(sep.join(map(str, a)) + end)}
    for i, (code, name) in enumerate(zip(codes, names)):
        ns["__name__"] = name
        sys.modules[name] = types.ModuleType(name)  # what dataclasses and pickle look up
        file = ("<cell %d>" if cell else "<block %d>") % (i + 1)
        linecache.cache[file] = (len(code), None, code.splitlines(True), file)  # source lines in tracebacks
        _ag_shown.clear()
        try:
            _ag_exec(code, file, ns, cell)
        except BaseException as e:
            tb = traceback.TracebackException.from_exception(e)
            tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if f.filename != "<exec>"])
            last = i == len(codes) - 1
            where = "" if last else "An earlier block of this session raised:\\n"
            return _ag_out(out, cell) if last else "", where + "".join(tb.format())
        if i < len(codes) - 1:
            out.clear()  # only the last block's output is shown
    return _ag_out(out, cell), None

def _ag_out(out, cell):
    if not cell:
        return "".join(out)
    return json.dumps([[m.replace("+stream", ""), t] for m, t in _ag_shown])
`;

async function start() {
  const t0 = performance.now();
  const [py, viz] = await Promise.all([
    loadPyodide({ indexURL: new URL("../vendor/pyodide/", here).href }),
    import("../vendor/viz-js/viz.js").then((m) => m.instance()),
  ]);
  // autograd_notes.draw renders through this when sys.platform is "emscripten"
  self.agRenderDot = (dot) => viz.renderString(dot, { format: "svg" });
  await py.loadPackage(wheels.map((w) => new URL(w, here).href), { messageCallback: () => {} });
  py.runPython(PRELUDE);
  py.runPython("import autograd_notes, autograd_notes.draw");
  return { py, ms: performance.now() - t0 };
}

const ready = start();
ready.then(
  ({ ms }) => postMessage({ ready: true, ms }),
  (e) => postMessage({ ready: false, error: String(e) }),
);

onmessage = async ({ data }) => {
  let py;
  try {
    ({ py } = await ready);
  } catch (e) {
    postMessage({ id: data.id, out: "", error: `Python did not start: ${e}`, ms: 0 });
    return;
  }
  const t0 = performance.now();
  let out = "", error = null, fatal = false;
  try {
    const run = py.globals.get("_ag_run");
    const res = run(py.toPy(data.codes), py.toPy(data.names), !!data.cell);
    [out, error] = res.toJs();
    res.destroy();
    run.destroy();
  } catch (e) {
    error = String(e);
    try {
      py.runPython("None"); // still alive?
    } catch {
      fatal = true;
      error = `Python crashed: ${error.split("\n")[0]}. The next Run starts it again.`;
    }
  }
  postMessage({ id: data.id, out, error, ms: performance.now() - t0, fatal });
};
