"""Measured tables written into the README between `<!-- NAME:start -->` and `<!-- NAME:end -->`.

`python -m ganzoo.evaluate --readme` (model quality) and `python -m benchmarks.run_all --readme`
(speed) both rewrite their block here, so the README only ever shows numbers a script measured.
"""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def replace_block(name: str, body: str, path=README) -> None:
    """Put `body` between the NAME markers of the file (appended with its markers if absent)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    path = Path(path)
    text = path.read_text()
    block = f"{start}\n{body}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
