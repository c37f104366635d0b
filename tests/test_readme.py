"""The README's example runs, and prints the numbers its comments claim."""

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks(text):
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_example_prints_what_its_comments_say():
    (block,) = python_blocks(README.read_text())
    claimed = [m.group(1) for m in re.finditer(r"print\(.*\)\s+#.*?(-?\d+\.\d+)\s*$", block, flags=re.M)]
    assert len(claimed) == 3, "the README example should claim three printed numbers"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, str(README), "exec"), {})
    assert out.getvalue().split() == claimed
