"""Strip notebooks before committing them: no outputs, no execution counts, kernel ``python3``.

The site executes the notebooks when it is built, so git only keeps their sources.

    .venv/bin/python scripts/nbstrip.py            # strip docs/notebooks/*.ipynb in place
    .venv/bin/python scripts/nbstrip.py --check    # only report; exit 1 if any notebook needs stripping
    .venv/bin/python scripts/nbstrip.py a.ipynb    # strip the notebooks named
"""
import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
# cell metadata a Jupyter session adds and a reader never needs
VOLATILE_CELL_KEYS = ("execution", "collapsed", "scrolled", "ExecuteTime", "heading_collapsed", "hidden")


def strip(nb):
    """Return ``nb`` (a NotebookNode) without outputs, counts or session metadata; changes it in place."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
    nb.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},  # no version: it differs from machine to machine
        **{k: v for k, v in nb.metadata.items() if k not in ("kernelspec", "language_info", "widgets")},
    }
    return nb


def stripped_text(path):
    """The text ``path`` should have once stripped (Jupyter's own layout: indent 1, trailing newline)."""
    nb = strip(nbformat.read(path, as_version=4))
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: docs/notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs stripping")
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
    if not paths:
        print("nbstrip: no notebooks found", file=sys.stderr)
        return 1
    dirty = []
    for path in paths:
        try:
            old = path.read_text(encoding="utf-8")
            new = stripped_text(path)
        except (OSError, ValueError, nbformat.ValidationError) as err:
            print(f"nbstrip: cannot read {path}: {err}", file=sys.stderr)
            return 2
        if old != new:
            dirty.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    verb = "needs stripping" if args.check else "stripped"
    for path in dirty:
        print(f"{verb}: {path}")
    if args.check and dirty:
        print(f"run: .venv/bin/python scripts/nbstrip.py {' '.join(str(p) for p in dirty)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
