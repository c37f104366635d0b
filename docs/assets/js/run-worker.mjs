// The Python of the page: Pyodide in a Web Worker, started by run.js at the first Run.
// Messages in:  {id, codes: [...], names: [...]}  runs codes[0..n-2] silently, then codes[n-1], in one fresh
//               namespace; names[i] is block i's module name, as markdown-exec named it at build time
// Messages out: {ready, ms} once; then per run {id, out, error, ms, fatal}
// Everything loads from the site's own origin (../vendor/), relative to this file: works under any sub-path.
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

const here = new URL(".", import.meta.url);
const wheels = JSON.parse(new URL(import.meta.url).searchParams.get("wheels") || "[]");

// The prelude runs once: it defines how a block runs, the way markdown-exec ran it at build time
// (print() writes to a buffer; the session's blocks share one namespace named after the session).
const PRELUDE = `
import linecache, sys, traceback, types

# A worker's stack is small: at CPython's default limit of 1000, runaway recursion through dunder
# methods (each level also nests C calls) overflows it and kills Pyodide before RecursionError is raised.
sys.setrecursionlimit(400)

def _ag_run(codes, names):
    out = []
    ns = {"print": lambda *a, sep=" ", end="\\n", **k: out.append(sep.join(map(str, a)) + end)}
    for i, (code, name) in enumerate(zip(codes, names)):
        ns["__name__"] = name
        sys.modules[name] = types.ModuleType(name)  # what dataclasses and pickle look up
        file = "<block %d>" % (i + 1)
        linecache.cache[file] = (len(code), None, code.splitlines(True), file)  # source lines in tracebacks
        try:
            exec(compile(code, file, "exec"), ns)
        except BaseException as e:
            tb = traceback.TracebackException.from_exception(e)
            tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if f.filename != "<exec>"])
            last = i == len(codes) - 1
            where = "" if last else "An earlier block of this session raised:\\n"
            return "".join(out) if last else "", where + "".join(tb.format())
        if i < len(codes) - 1:
            out.clear()  # only the last block's output is shown
    return "".join(out), None
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
    const res = run(py.toPy(data.codes), py.toPy(data.names));
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
