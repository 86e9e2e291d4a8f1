"""The tour of docs/python.md runs as written."""
import contextlib
import io
import re


def test_the_tour_runs(source_dir):
    text = (source_dir / "docs" / "python.md").read_text()
    tour = text.split("## A tour", 1)[1]
    code = re.search(r"```python\n(.*?)```", tour, re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "docs/python.md (tour)", "exec"), {})
    printed = out.getvalue()
    assert "7.745183829698" in printed  # McNemar exact p for b = 0, c = 400: 2^-399
    assert "(12, 7)" in printed
