"""The notebooks of docs/notebooks: kept in git without outputs, and every one runs top to bottom.

The exercise notebook runs twice more: with its blanks filled in from the solutions in
docs/snippets (every check must print OK), and as committed (every check must say
"not filled in yet", and nothing may raise).
"""

import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "docs" / "notebooks"
SNIPPETS = ROOT / "docs" / "snippets"
NAMES = ["01-lecture-part-1.ipynb", "02-lecture-part-2.ipynb", "03-moons-demo.ipynb", "04-exercises.ipynb"]
EXERCISES = NB_DIR / "04-exercises.ipynb"


def load(name):
    return nbformat.read(NB_DIR / name, as_version=4)


def nbstrip():
    spec = importlib.util.spec_from_file_location("nbstrip", ROOT / "scripts" / "nbstrip.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def snippet_section(ref):
    """The text of ``file.py:section`` in docs/snippets (pymdownx.snippets markers), or the whole file."""
    file, _, name = ref.partition(":")
    text = (SNIPPETS / file).read_text(encoding="utf-8")
    if not name:
        return text.rstrip("\n")
    m = re.search(rf"^# --8<-- \[start:{name}\]\n(.*?)^# --8<-- \[end:{name}\]$", text, re.S | re.M)
    assert m, f"docs/snippets/{file} has no section {name!r}"
    return m.group(1).rstrip("\n")


def execute(nb):
    """Run ``nb`` in the python3 kernel from docs/notebooks (as Jupyter would); return it."""
    from nbclient import NotebookClient

    NotebookClient(nb, kernel_name="python3", timeout=300, coalesce_streams=True,
                   resources={"metadata": {"path": str(NB_DIR)}}).execute()
    return nb


def printed(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def marked(nb, key, value=None):
    """Cells whose ``autograd_notes`` metadata has ``key`` (equal to ``value`` if given)."""
    cells = [c for c in nb.cells if key in c.metadata.get("autograd_notes", {})]
    return [c for c in cells if value is None or c.metadata["autograd_notes"][key] == value]


# ---------------------------------------------------------------------------------------------
# (a) what is committed


def test_the_four_notebooks_are_there():
    assert sorted(p.name for p in NB_DIR.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs_or_counts(name):
    nb = load(name)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    dirty = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{name}: cells {dirty} have outputs or counts; run .venv/bin/python scripts/nbstrip.py"


def test_nbstrip_has_nothing_left_to_do():
    assert nbstrip().main(["--check"]) == 0


def test_nbstrip_strips_an_executed_notebook(tmp_path, capsys):
    nb = load("04-exercises.ipynb")
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
        cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    nb.metadata.kernelspec = {"name": "my-venv", "display_name": "my venv", "language": "python"}
    nb.metadata.language_info = {"name": "python", "version": "3.12.1"}
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    tool = nbstrip()
    assert tool.main(["--check", str(path)]) == 1
    assert "needs stripping" in capsys.readouterr().out
    assert tool.main([str(path)]) == 0
    assert path.read_text(encoding="utf-8") == (NB_DIR / "04-exercises.ipynb").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_imports_the_installed_package(name):
    code = "\n".join(c.source for c in load(name).cells if c.cell_type == "code")
    # the exercises bring their own cut-down Value (the learner adds its ops), so they need no package
    assert "sys.path" not in code and ("autograd_notes" in code or name == "04-exercises.ipynb")


def test_exercise_blanks_name_real_solutions():
    blanks = marked(load("04-exercises.ipynb"), "solution")
    assert len(blanks) == 10  # 3 in section 1; 5 ops of the cut-down Value, softmax and nll in section 2
    for cell in blanks:
        assert "raise NotImplementedError" in cell.source
        snippet_section(cell.metadata["autograd_notes"]["solution"])  # exists


def test_exercise_copies_of_snippets_are_in_sync():
    """Cells that carry a snippet (the checker, f, the cut-down Value, its op checks, result, the PyTorch
    reference) start with its exact text."""
    copies = marked(load("04-exercises.ipynb"), "snippet")
    assert len(copies) == 6
    for cell in copies:
        ref = cell.metadata["autograd_notes"]["snippet"]
        assert cell.source.startswith(snippet_section(ref)), f"cell copy of {ref} is stale: regenerate it"


# ---------------------------------------------------------------------------------------------
# (b) they run


LECTURE_OUTPUT = {
    "01-lecture-part-1.ipynb": ["f(3.0) = 20.0", "slope ~  14.0030", "d = 4.0", "dL/da = 6.0", "dL/db = -4.0",
                                "L after the step:  -7.2865", "o = 0.7071", "do/dx1 = -1.5000", "do/dw1 = 1.0000"],
    "02-lecture-part-2.ipynb": ["db/da = 2.0", "df/da = -3.0", "o: tanh 0.707107   in parts 0.707107",
                                "parameters(): 41   by hand: 41"],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(LECTURE_OUTPUT))
def test_lecture_notebook_runs(name):
    nb = execute(load(name))
    text = "".join(printed(c) for c in nb.cells if c.cell_type == "code")
    for line in LECTURE_OUTPUT[name]:
        assert line in text
    data = [o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any('class="ag-graph"' in d.get("text/html", "") for d in data), "no graph drawn"
    assert any('class="ag-plot"' in d.get("text/html", "") for d in data), "no plot drawn (autograd_notes.plot)"
    assert not any("image/png" in d for d in data), "a PNG plot: use autograd_notes.plot (dark-aware SVG, alt text)"


@pytest.mark.slow
def test_moons_demo_runs_and_reaches_full_accuracy():
    nb = execute(load("03-moons-demo.ipynb"))
    text = "".join(printed(c) for c in nb.cells if c.cell_type == "code")
    assert "337 parameters" in text
    assert len(re.findall(r"^step +\d+ +loss [\d.]+ +accuracy +\d+%$", text, re.M)) == 10
    m = re.search(r"after 100 steps: loss ([\d.]+), accuracy (\d+)%", text)
    assert m and int(m.group(2)) == 100 and float(m.group(1)) < 0.05
    plots = [o.data["text/html"] for c in nb.cells if c.cell_type == "code"
             for o in c.outputs if 'class="ag-plot"' in o.get("data", {}).get("text/html", "")]
    assert len(plots) == 4 and all('<svg role="img" aria-label="' in p for p in plots)


def check_lines(nb):
    return [line for c in marked(nb, "role", "check") for line in printed(c).splitlines() if line.strip()]


@pytest.mark.slow
def test_exercises_as_committed_run_and_say_not_filled_in():
    nb = execute(load("04-exercises.ipynb"))
    lines = check_lines(nb)
    assert len(lines) == 11 and all(line.endswith("not filled in yet") for line in lines), lines
    assert "OK     f(2, 3, 4): 6.336362190988558" in "".join(printed(c) for c in nb.cells if c.cell_type == "code")


def fill(nb, wrong=None):
    """Put the solutions of docs/snippets into the blank cells (``wrong`` maps a ref to other code)."""
    for cell in marked(nb, "solution"):
        ref = cell.metadata["autograd_notes"]["solution"]
        cell.source = (wrong or {}).get(ref) or snippet_section(ref)
    return nb


@pytest.mark.slow
def test_exercises_filled_with_the_solutions_print_ok():
    nb = execute(fill(load("04-exercises.ipynb")))
    lines = check_lines(nb)
    assert len(lines) == 11 and all(line.startswith("OK ") for line in lines), lines
    text = "".join(printed(c) for c in nb.cells if c.cell_type == "code")
    ok = [line for line in text.splitlines() if line.startswith("OK ")]
    # f, 11 checks, and two against PyTorch when the kernel (this Python) can import it
    assert len(ok) == 12 + (2 if importlib.util.find_spec("torch") else 0), ok
    assert "WRONG" not in text and "not filled in yet" not in text


@pytest.mark.slow
def test_exercises_with_a_wrong_answer_print_wrong():
    wrong = {"exercise_derivatives.py:gradient":
             "def grad_f(a, b, c):\n    return [-3 * a**2, 3 * math.cos(3 * b), 1 / c**2]\n"}
    nb = execute(fill(load("04-exercises.ipynb"), wrong))
    lines = check_lines(nb)
    assert lines[0] == "WRONG  analytic gradient: item 0: off by 0.354 (tolerance 1e-05)"
    assert lines[1].split() == ["expected", "[-12.353553390593273,", "10.25699027111255,", "0.0625]"]
    assert lines[2].split()[0] == "got" and "-12.0" in lines[2]
    assert all(line.startswith("OK ") for line in lines[3:])


# ---------------------------------------------------------------------------------------------
# (c) the built notebook pages


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.downloads = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "download" in a and (a.get("href") or "").endswith(".ipynb"):
            self.downloads.append(a)


PAGE_OUTPUT = {
    "01-lecture-part-1": ["o = 0.7071", "L after the step:  -7.2865"],
    "02-lecture-part-2": ["parameters(): 41"],
    "03-moons-demo": ["after 100 steps: loss", "accuracy 100%"],
    "04-exercises": ["OK     f(2, 3, 4): 6.336362190988558", "analytic gradient: not filled in yet"],
}


@pytest.mark.slow
@pytest.mark.parametrize("stem", list(PAGE_OUTPUT))
def test_built_notebook_page(built_site, stem):
    page = built_site / "notebooks" / stem / "index.html"
    html = page.read_text(encoding="utf-8")
    for text in PAGE_OUTPUT[stem]:
        assert text in html, f"{page} lacks the executed output {text!r}"
    assert "Traceback" not in html
    assert not re.search(r'<div[^>]*data-mime-type="application/vnd\.jupyter\.(stderr|error)"', html)
    parser = _Links()
    parser.feed(html)
    assert len(parser.downloads) == 1, "expected one Download notebook link (<a download href=...ipynb>)"
    href = parser.downloads[0]["href"]
    assert not href.startswith(("/", "http")), f"the download link should be relative, got {href}"
    target = (page.parent / href).resolve()
    assert target.is_file(), f"the download link {href} of {page} points to nothing"
    nb = nbformat.read(target, as_version=4)
    nbformat.validate(nb)
    # the committed source, to run at home, with one cell more after the title: it installs the site's wheel
    install = [c for c in nb.cells if c.get("id") == "install-autograd-notes"]  # hooks/runnable.py's INSTALL_ID
    assert len(install) == 1 and nb.cells.index(install[0]) == 1, "no install cell after the title"
    wheel = re.search(r"/(assets/wheels/\S+\.whl)\"", install[0].source).group(1)
    assert (built_site / wheel).is_file(), f"the install cell names a wheel the site lacks: {wheel}"
    assert [c for c in nb.cells if c is not install[0]] == load(stem + ".ipynb").cells
