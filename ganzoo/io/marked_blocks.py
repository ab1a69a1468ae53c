"""Text between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a Markdown file, replaced in place.

The commands that measure something (`python -m ganzoo.evaluate --readme`, `python -m benchmarks.run_all
--readme`) write their tables this way, each into the file its caller names, so a page only ever shows
numbers a script measured and the prose around them stays as written.
"""

import re
from pathlib import Path


def replace_block(path, name: str, body: str) -> None:
    """Put `body` between the NAME markers of the file at `path` (appended with its markers if absent)."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    path = Path(path)
    text = path.read_text()
    block = f"{start}\n{body}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
