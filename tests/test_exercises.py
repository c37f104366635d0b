"""The exercise solutions in docs/snippets and the checker that grades them.

The checker must pass the solutions, and must catch wrong answers: in a notebook it prints WRONG
(with the numbers), on the site (strict=True) it raises, so a wrong solution fails the build.
"""

import importlib.util
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograd_notes import Value

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS = ROOT / "docs" / "snippets"


def load(name):
    spec = importlib.util.spec_from_file_location(f"snippet_{name}", SNIPPETS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


chk = load("exercise_check")
der = load("exercise_derivatives")
soft = load("exercise_softmax")


def lines(capsys):
    return capsys.readouterr().out.splitlines()


# ---- the solutions pass (strict: a failure raises)

def test_section_1_solutions(capsys):
    P, G = chk.POINT, chk.GRAD_AT_POINT
    chk.check("f", lambda: der.f(*P), chk.F_AT_POINT, strict=True)
    chk.check("gradient", lambda: der.grad_f(*P), G, strict=True)
    chk.check("forward", lambda: der.forward_diff(der.f, P, 1e-6), G, strict=True)
    chk.check("symmetric", lambda: der.symmetric_diff(der.f, P, 1e-4), G, tol=1e-6, strict=True)
    assert [line.split()[0] for line in lines(capsys)] == ["OK"] * 4


def test_section_2_solutions(capsys):
    zs = [Value(z) for z in chk.LOGITS]
    chk.check("sums to 1", lambda: sum(p.data for p in soft.softmax(zs)), 1.0, strict=True)
    chk.check("loss", lambda: soft.result(soft.nll, chk.LOGITS, 3)[0], chk.LOSS, strict=True)
    chk.check("grads", lambda: soft.result(soft.nll, chk.LOGITS, 3)[1], chk.LOGIT_GRADS, strict=True)
    assert [line.split()[0] for line in lines(capsys)] == ["OK"] * 3


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
    assert [p.data for p in soft.softmax([Value(z) for z in chk.LOGITS])] == pytest.approx([e / sum(es) for e in es])


def test_the_snippets_run_as_scripts():
    for name in ["exercise_derivatives", "exercise_softmax"]:
        proc = subprocess.run([sys.executable, str(SNIPPETS / f"{name}.py")], capture_output=True, text=True, check=True)
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
    chk.check("loss", lambda: soft.result(wrong_nll, chk.LOGITS, 3)[0], chk.LOSS)
    chk.check("grads", lambda: soft.result(wrong_nll, chk.LOGITS, 3)[1], chk.LOGIT_GRADS)
    out = lines(capsys)
    assert out[0].startswith("WRONG  loss: off by") and out[3].startswith("WRONG  grads: item")
    with pytest.raises(AssertionError):
        chk.check("loss", lambda: soft.result(wrong_nll, chk.LOGITS, 3)[0], chk.LOSS, strict=True)


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
    for f in (blank, crash):
        with pytest.raises(Exception):
            chk.check("strict", f, 1.0, strict=True)


def test_the_site_runs_every_check_strictly():
    page = (ROOT / "docs" / "exercises.md").read_text(encoding="utf-8")
    calls = re.findall(r"check\((.*?)\)\n", page.replace(",\n", ", "))
    assert len(calls) == 9
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
        ok = re.findall(r"OK     [a-z]", html)  # printed lines (the checker's source has OK     {name})
        assert len(ok) in (7, 9)  # 9 with PyTorch: two checks against it
