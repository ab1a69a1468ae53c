"""What every page shares, one module per job: the language (language), the sidebar and early stops
(sidebar), quizzes (quizzes), models loaded once per process (models), inputs carried in the URL
(widgets), memory and heavy-work slots (memory), the before/after slider (before_after).

With app.py and the pages, the only code that imports streamlit; the work itself is in ganzoo. torch
(and so ganzoo.io.checkpoints and ganzoo.runtime.device) is imported only once a page asks for a
model: the home page, the first a visitor sees after a cold start, needs none of it. The server's
sockets are told here to send at once (ganzoo.runtime.tcp).
"""

from ganzoo.runtime.tcp import nodelay_everywhere
from ui.before_after import before_after
from ui.language import init_language, lang, t
from ui.memory import HEAVY_WAIT_SECONDS, heavy_work_slots, release_freed_memory, with_heavy_work_slot
from ui.models import load_model
from ui.quizzes import quiz_section
from ui.sidebar import sidebar, sidebar_after_page, stop
from ui.widgets import (
    DATASETS,
    class_name,
    class_phrase,
    dataset_choice,
    query_choice,
    query_int,
    query_number,
    seed_input,
)

__all__ = ["DATASETS", "HEAVY_WAIT_SECONDS", "before_after", "class_name", "class_phrase", "dataset_choice",
           "heavy_work_slots", "init_language", "lang", "load_model", "query_choice", "query_int",
           "query_number", "quiz_section", "release_freed_memory", "seed_input", "sidebar",
           "sidebar_after_page", "stop", "t", "with_heavy_work_slot"]

nodelay_everywhere()  # once per process, at its first script run: the listener is open by then
