"""The exercise solutions in docs/snippets and the checker that grades them.

The checker must pass the solutions, and must catch wrong answers: in a notebook it prints WRONG
(with the numbers), on the site (strict=True) it raises, so a wrong solution fails the build.
Section 2 starts from a cut-down Value (only + and backward()): with the notebook's blanks it fails
the checks, with the solutions it passes them.
"""

import importlib.util
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograd_notes import Value
from site_tools import torch_run

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS = ROOT / "docs" / "snippets"
NOTEBOOK = ROOT / "docs" / "notebooks" / "04-exercises.ipynb"
OPS = ["exp", "log", "neg", "radd", "truediv"]  # the sections of exercise_value.py a learner fills in

sys.path.insert(0, str(SNIPPETS))  # exercise_softmax imports exercise_value, as it does when run as a script


def load(name):
    spec = importlib.util.spec_from_file_location(name, SNIPPETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


chk = load("exercise_check")
der = load("exercise_derivatives")
soft = load("exercise_softmax")


def lines(capsys):
    return capsys.readouterr().out.splitlines()


def section(file, name):
    """The text of one ``# --8<-- [start:name]`` section of a snippet file."""
    text = (SNIPPETS / file).read_text(encoding="utf-8")
    m = re.search(rf"^# --8<-- \[start:{name}\]\n(.*?)^# --8<-- \[end:{name}\]$", text, re.S | re.M)
    assert m, f"{file} has no section {name}"
    return m.group(1)


def blanks():
    """The notebook's blank cells for the ops, by section name: what a learner starts with."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    found = {}
    for cell in nb.cells:
        ref = cell.metadata.get("autograd_notes", {}).get("solution", "")
        if ref.startswith("exercise_value.py:"):
            found[ref.partition(":")[2]] = cell.source
    assert sorted(found) == sorted(OPS)
    return found


def cut_down(ops=None):
    """A namespace with the cut-down Value, the op checks, and ``ops`` (section name -> code) run in it."""
    ns = {}
    for code in [section("exercise_value.py", "value"), section("exercise_value.py", "ops"), *(ops or {}).values()]:
        exec(compile("import math\n" + code, "<exercise>", "exec"), ns)
    return ns


def run_op_checks(ns, strict=False):
    for name, op, inputs, expected in ns["OP_CHECKS"]:
        chk.check(name, lambda op=op, inputs=inputs: ns["value_and_grad"](op, *inputs), expected, strict=strict)


def result_with(nll, logits, target, value=soft.Value):
    """``nll`` on fresh Values, backpropagated: (loss, logit grads)."""
    zs = [value(z) for z in logits]
    loss = nll(zs, target)
    loss.backward()
    return loss.data, [z.grad for z in zs]


# ---- the solutions pass (strict: a failure raises)

def test_section_1_solutions(capsys):
    P, G = chk.POINT, chk.GRAD_AT_POINT
    chk.check("f", lambda: der.f(*P), chk.F_AT_POINT, strict=True)
    chk.check("gradient", lambda: der.grad_f(*P), G, strict=True)
    chk.check("forward", lambda: der.forward_diff(der.f, P, 1e-6), G, strict=True)
    chk.check("symmetric", lambda: der.symmetric_diff(der.f, P, 1e-4), G, tol=1e-6, strict=True)
    assert [line.split()[0] for line in lines(capsys)] == ["OK"] * 4


def test_section_2_solutions(capsys):
    zs = [soft.Value(z) for z in chk.LOGITS]
    chk.check("sums to 1", lambda: sum(p.data for p in soft.softmax(zs)), 1.0, strict=True)
    chk.check("loss", lambda: soft.result(chk.LOGITS, 3)[0], chk.LOSS, strict=True)
    chk.check("grads", lambda: soft.result(chk.LOGITS, 3)[1], chk.LOGIT_GRADS, strict=True)
    assert [line.split()[0] for line in lines(capsys)] == ["OK"] * 3


def test_the_cut_down_value_has_only_add_and_backward():
    ns = cut_down()
    names = {k for k, v in vars(ns["Value"]).items() if callable(v)}
    assert names == {"__init__", "__repr__", "__add__", "backward"}


def test_the_cut_down_value_fails_the_op_checks(capsys):
    """As handed out (no ops) every op check is WRONG; with the notebook's blanks, "not filled in yet"."""
    run_op_checks(cut_down())
    out = [line for line in lines(capsys) if not line.startswith(" ")]
    assert len(out) == 5 and all(line.startswith("WRONG ") and "raised" in line for line in out), out
    run_op_checks(cut_down(blanks()))
    assert lines(capsys) == [f"{name}: not filled in yet" for name, *_ in cut_down()["OP_CHECKS"]]
    for ops in (None, blanks()):
        ns = cut_down(ops)
        for name, op, inputs, expected in ns["OP_CHECKS"]:
            with pytest.raises((AttributeError, TypeError, NotImplementedError)):
                chk.check(name, lambda ns=ns, op=op, inputs=inputs: ns["value_and_grad"](op, *inputs), expected,
                          strict=True)


def test_the_cut_down_value_with_the_solutions_passes(capsys):
    ns = cut_down({name: section("exercise_value.py", name) for name in OPS})
    run_op_checks(ns, strict=True)
    assert [line.split()[0] for line in lines(capsys)] == ["OK"] * 5
    # and softmax on it gives the lecture's numbers
    got = result_with(soft.nll, chk.LOGITS, 3, value=ns["Value"])
    assert got[0] == pytest.approx(chk.LOSS, abs=1e-9) and got[1] == pytest.approx(chk.LOGIT_GRADS, abs=1e-12)


def test_softmax_fails_on_the_cut_down_value_with_blanks():
    for ops in (None, blanks()):
        value = cut_down(ops)["Value"]
        with pytest.raises((AttributeError, NotImplementedError)):
            result_with(soft.nll, chk.LOGITS, 3, value=value)


def test_each_op_rule_is_needed():
    """A wrong backward rule in any one op makes its check fail: the checks test every rule."""
    wrong = {
        "exp": ("self.grad += out.data * out.grad", "self.grad += out.grad"),
        "log": ("self.grad += out.grad / self.data", "self.grad += out.grad * self.data"),
        "neg": ("self.grad += -out.grad", "self.grad += out.grad"),
        "truediv": ("other.grad += -self.data / other.data**2 * out.grad", "other.grad += out.grad / self.data"),
    }
    for name, (good, bad) in wrong.items():
        ops = {n: section("exercise_value.py", n) for n in OPS}
        assert good in ops[name]
        ops[name] = ops[name].replace(good, bad)
        ns = cut_down(ops)
        title = {"neg": "negation", "truediv": "x / y"}.get(name, name)
        check = next(c for c in ns["OP_CHECKS"] if c[0].startswith(title))
        with pytest.raises(AssertionError, match="WRONG"):
            name, op, inputs, expected = check
            chk.check(name, lambda ns=ns, op=op, inputs=inputs: ns["value_and_grad"](op, *inputs), expected,
                      strict=True)


@pytest.mark.slow  # starts the PyTorch interpreter
def test_pytorch_agrees_with_the_solution():
    """PyTorch is part of the build and test environment (scripts/setup-torch.sh, AUTOGRAD_NOTES_TORCH_PYTHON)."""
    theirs = torch_run.numbers("docs/snippets/exercise_torch.py")
    assert theirs is not None, ("no Python with PyTorch: run scripts/setup-torch.sh and set "
                                "AUTOGRAD_NOTES_TORCH_PYTHON=$PWD/.venv-torch/bin/python")
    loss, grads = soft.result(chk.LOGITS, 3)
    assert theirs["loss"] == pytest.approx(loss, abs=1e-12)
    assert [theirs[f"grad{i}"] for i in range(4)] == pytest.approx(grads, abs=1e-12)


def test_the_symmetric_difference_is_more_accurate_for_the_same_h():
    for h in [1e-2, 1e-3, 1e-4]:
        errors = [max(abs(g - e) for g, e in zip(est(der.f, chk.POINT, h), chk.GRAD_AT_POINT))
                  for est in (der.forward_diff, der.symmetric_diff)]
        assert errors[1] < errors[0] / 50


def test_gradients_agree_with_the_engine_and_softmax_with_math():
    """The hand-derived gradient of section 1 matches backprop through Values (sin is missing,
    so its term is added by hand); the softmax matches math.exp."""
    a, b, c = (Value(x) for x in chk.POINT)
    out = -a**3 - c**-1 + b**2.5 - a**0.5
    out.backward()
    grad = [a.grad, b.grad + 3 * math.cos(3 * b.data), c.grad]
    assert grad == pytest.approx(der.grad_f(*chk.POINT), abs=1e-12)
    es = [math.exp(z) for z in chk.LOGITS]
    probs = [p.data for p in soft.softmax([soft.Value(z) for z in chk.LOGITS])]
    assert probs == pytest.approx([e / sum(es) for e in es])


def test_the_snippets_run_as_scripts():
    for name in ["exercise_derivatives", "exercise_value", "exercise_softmax"]:
        proc = subprocess.run([sys.executable, str(SNIPPETS / f"{name}.py")],
                              capture_output=True, text=True, check=True)
        checks = [line for line in proc.stdout.splitlines() if line.startswith(("OK", "WRONG"))]
        assert checks and all(line.startswith("OK ") for line in checks), proc.stdout


# ---- wrong answers are caught

WRONG_SECTION_1 = {
    "gradient missing the a^0.5 term": (lambda: [-3 * 2.0**2, 10.25699027111255, 0.0625], 1e-5),
    "gradient with the sign of df/dc flipped": (lambda: [-12.353553390593273, 10.25699027111255, -0.0625], 1e-5),
    "forward difference passed off as symmetric": (lambda: der.forward_diff(der.f, chk.POINT, 1e-4), 1e-6),
    "two numbers instead of three": (lambda: [-12.353553390593273, 10.25699027111255], 1e-5),
    "nan": (lambda: [math.nan, 10.25699027111255, 0.0625], 1e-5),
    "Values instead of numbers": (lambda: [Value(-12.353553390593273), Value(10.25699027111255), Value(0.0625)], 1e-5),
}


@pytest.mark.parametrize("case", list(WRONG_SECTION_1))
def test_a_wrong_gradient_is_reported(case, capsys):
    compute, tol = WRONG_SECTION_1[case]
    chk.check("gradient", compute, chk.GRAD_AT_POINT, tol=tol)
    out = lines(capsys)
    assert out[0].startswith("WRONG  gradient: ")
    assert out[1].split()[0] == "expected" and "-12.353553390593273" in out[1]
    assert out[2].split()[0] == "got"
    with pytest.raises(AssertionError, match="WRONG  gradient"):
        chk.check("gradient", compute, chk.GRAD_AT_POINT, tol=tol, strict=True)


def unnormalised_softmax(logits):
    return [z.exp() for z in logits]


def positive_log_likelihood(logits, target):
    return soft.softmax(logits)[target].log()


@pytest.mark.parametrize("wrong_nll", [
    lambda zs, t: -unnormalised_softmax(zs)[t].log(),  # forgot to divide by the sum
    positive_log_likelihood,                            # forgot the minus sign
    lambda zs, t: -soft.softmax(zs)[0].log(),           # the wrong class
])
def test_a_wrong_softmax_loss_is_reported(wrong_nll, capsys):
    chk.check("loss", lambda: result_with(wrong_nll, chk.LOGITS, 3)[0], chk.LOSS)
    chk.check("grads", lambda: result_with(wrong_nll, chk.LOGITS, 3)[1], chk.LOGIT_GRADS)
    out = lines(capsys)
    assert out[0].startswith("WRONG  loss: off by") and out[3].startswith("WRONG  grads: item")
    with pytest.raises(AssertionError):
        chk.check("loss", lambda: result_with(wrong_nll, chk.LOGITS, 3)[0], chk.LOSS, strict=True)


def test_blanks_and_crashes(capsys):
    def blank():
        raise NotImplementedError

    def crash():
        return Value(1.0).backward().data  # backward() returns None

    chk.check("blank", blank, 1.0)
    chk.check("crash", crash, 1.0)
    out = lines(capsys)
    assert out == ["blank: not filled in yet",
                   "WRONG  crash: your code raised AttributeError: 'NoneType' object has no attribute 'data'"]
    for f, error in ((blank, AssertionError), (crash, AttributeError)):
        with pytest.raises(error):
            chk.check("strict", f, 1.0, strict=True)


def test_the_site_runs_every_check_strictly():
    page = (ROOT / "docs" / "exercises.md").read_text(encoding="utf-8")
    calls = re.findall(r"check\((.*?)\)\n", page.replace(",\n", ", "))
    # section 1: f and 3 estimates; section 2: the op checks (one loop), softmax 3, PyTorch 2
    assert len(calls) == 10
    assert all("strict=True" in call for call in calls), calls


# ---- a wrong solution fails the site's build


@pytest.mark.slow
@pytest.mark.parametrize("broken", [False, True])
def test_a_wrong_solution_fails_the_build(tmp_path, broken):
    """Build docs/exercises.md alone with markdown-exec and strict mode, with the real snippets or
    with a sign error in the gradient: the second build must fail, naming the check."""
    pytest.importorskip("markdown_exec", reason="the site's tools are not installed here (e.g. .venv-torch)")
    docs = tmp_path / "docs"
    shutil.copytree(SNIPPETS, docs / "snippets")
    shutil.copy(ROOT / "docs" / "exercises.md", docs / "index.md")
    if broken:
        path = docs / "snippets" / "exercise_derivatives.py"
        text = path.read_text(encoding="utf-8")
        assert "dfdc = 1.0 / c**2" in text
        path.write_text(text.replace("dfdc = 1.0 / c**2", "dfdc = -1.0 / c**2"), encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nstrict: true\n"
        "validation: {omitted_files: info, not_found: info, absolute_links: info,\n"
        "  unrecognized_links: info, anchors: info}\n"
        "markdown_extensions: [admonition, attr_list, pymdownx.details, pymdownx.superfences,\n"
        "  {pymdownx.arithmatex: {generic: true}},\n"
        "  {pymdownx.snippets: {base_path: ['.'], check_paths: true, dedent_subsections: true}}]\n"
        "plugins: [{markdown-exec: {languages: [python]}}]\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=tmp_path, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True,
    )
    if broken:
        assert proc.returncode != 0
        assert "WRONG  analytic gradient: item 2: off by 0.125" in proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr[-5000:]
        html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
        ok = re.findall(r"OK     [a-z0-9]", html)  # printed lines (the checker's source has OK     {name})
        # section 1: 4; section 2: 5 ops, 3 softmax, 2 against PyTorch (always present where the site is built)
        assert torch_run.interpreter() is not None, (
            "no PyTorch: set AUTOGRAD_NOTES_TORCH_PYTHON (scripts/setup-torch.sh)")
        assert len(ok) == 14, ok
