"""What every page shares: language, the sidebar, cached model loading, seed inputs.

The only module besides the pages that imports streamlit; the work itself is in ganzoo. torch (and
so ganzoo.io.checkpoints and ganzoo.runtime.device) is imported only once a page asks for a model: the home
page, the first a visitor sees after a cold start, needs none of it.
"""

import base64
import contextlib
import ctypes
import json
import sys
import threading

import streamlit as st

from ganzoo.io import inputs
from ganzoo.lessons import quiz
from ganzoo.runtime import limits
from ganzoo.runtime.i18n import DEFAULT_LANG, LANGS, tr
from ganzoo.runtime.seed import MAX_SEED, clamp_seed


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def t(key: str, **fields) -> str:
    return tr(key, lang(), **fields)


@st.cache_resource(show_spinner=False)
def _libc():
    """glibc (None on other C libraries). Streamlit runs every script run on a new thread and glibc
    gives threads malloc arenas of their own (up to 8 per core), each keeping the pages its thread
    freed: the server's resident memory then climbs with every visitor (tests/browser/test_soak.py)
    unless they are handed back. Capping the arenas (MALLOC_ARENA_MAX) must happen before Streamlit
    starts its threads, so it is the operator's choice (README, "Deploying"), not the app's."""
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim  # noqa: B018 - glibc only
        return libc
    except (AttributeError, OSError):
        return None


def release_freed_memory() -> None:
    """Hand heap pages that earlier visitors' sessions freed back to the system."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def init_language() -> None:
    """`?lang=fr` picks the language on arrival; the sidebar selector changes it after."""
    if "lang" not in st.session_state:  # a new visitor
        release_freed_memory()
        wanted = st.query_params.get("lang", DEFAULT_LANG)
        st.session_state.lang = wanted if wanted in LANGS else DEFAULT_LANG
    st.session_state["_models_this_run"] = []


def _pick_language():
    st.session_state.lang = st.session_state.lang_picker


def sidebar() -> None:
    with st.sidebar:
        # A fixed bilingual label keeps the widget's identity when the language changes.
        st.radio("Language · Langue", list(LANGS), index=list(LANGS).index(lang()), format_func=LANGS.get,
                 key="lang_picker", horizontal=True, on_change=_pick_language)
        st.query_params["lang"] = lang()
        # Streamlit serves <html lang="en"> whatever the language; screen readers, hyphenation and the
        # browser's translation offer read it. The code is one of LANGS, never a visitor's text.
        st.html(f"<script>document.documentElement.lang = {json.dumps(lang())};</script>",
                unsafe_allow_javascript=True)
        st.subheader(t("sidebar.runtime"))
        runtime = st.empty()  # filled after the page, once it is known whether torch was needed
        st.subheader(t("sidebar.models"))
    st.session_state["_runtime_slot"] = runtime


def sidebar_after_page() -> None:
    if not st.session_state.get("_models_this_run"):
        st.sidebar.caption(t("sidebar.no_models"))
    right, answered = quiz.score(st.session_state)
    if answered:
        st.sidebar.caption(t("quiz.score", right=right, answered=answered))
    _fill_runtime()


def _fill_runtime() -> None:
    """The sidebar's device line, written after the page (or before it stops early): once torch is
    loaded in this process the policy is known; before that, reading it would load torch."""
    slot = st.session_state.pop("_runtime_slot", None)
    if slot is None:
        return
    if "torch" in sys.modules:
        from ganzoo.runtime.device import policy
        slot.caption(t("sidebar.device", policy=policy().describe()))
    else:
        slot.caption(t("sidebar.no_torch"))


def stop(page: str) -> None:
    """st.stop() for a page that ends early (nothing to show yet, a bad input): its quiz still
    comes last."""
    quiz_section(page)
    sidebar_after_page()
    st.stop()


def quiz_section(page: str, title_key: str = "quiz.title") -> None:
    """A page's questions: no option picked at first; once one is, whether it is right and why.
    The picks last for the visit; the sidebar keeps the score."""
    st.header(t(title_key))
    for question, answer in quiz.ANSWERS[page].items():
        with st.container(border=True):
            st.markdown(f"**{t(quiz.key(page, question, 'q'))}**")
            picked = st.radio(t("quiz.pick"), quiz.OPTIONS, index=None, key=quiz.state_key(page, question),
                              format_func=lambda o, q=question: t(quiz.key(page, q, f"o{o}")),
                              label_visibility="collapsed")
            if picked is None:
                continue
            why = t(quiz.key(page, question, "why"))
            if picked == answer:
                st.success(f"{t('quiz.right')} {why}")
            else:
                st.error(f"{t('quiz.wrong', answer=t(quiz.key(page, question, f'o{answer}')))} {why}")


@st.cache_resource(show_spinner=False, max_entries=32)
def _load(name: str, repo: str | None):
    # One copy per process, shared by every session: models are only read after loading.
    from ganzoo.io import checkpoints
    from ganzoo.runtime.device import policy
    return checkpoints.load(name, repo, policy())


class HeavyWorkSlots(threading.BoundedSemaphore):
    """At most n heavy computations at once. Giving a slot back also hands the pages the work freed
    (its activations) back to the system: otherwise each script thread's malloc arena keeps them, and
    eight visitors translating at once left the server 1.5x larger (tests/browser/test_concurrency.py)."""

    def release(self, n: int = 1) -> None:
        super().release(n)
        release_freed_memory()


@st.cache_resource(show_spinner=False)
def heavy_work_slots() -> HeavyWorkSlots:
    """One per server process: at most limits.heavy_jobs() heavy computations (CycleGAN
    translations) run at once, so one large upload cannot take every core from the other
    visitors; the others wait their turn."""
    return HeavyWorkSlots(limits.heavy_jobs())


HEAVY_WAIT_SECONDS = 300  # how long a visitor waits for another's heavy work before being told to retry


def with_heavy_work_slot(work, busy: str, waiting: str | None = None, timeout: float = HEAVY_WAIT_SECONDS) -> bool:
    """work() run holding one of the server's heavy-work slots, waiting for one (under a spinner
    saying `waiting`, if given) while other visitors' work holds them all; False, and a warning
    saying `busy`, when the wait ran out."""
    slots = heavy_work_slots()
    held = slots.acquire(blocking=False)
    try:  # entered at once: a rerun raised by any Streamlit call below must still give the slot back
        if not held:
            with st.spinner(waiting) if waiting else contextlib.nullcontext():
                held = slots.acquire(timeout=timeout)
            if not held:
                st.warning(busy)
                return False
        work()
        return True
    finally:
        if held:
            slots.release()


def load_model(name: str, repo: str | None = None):
    """The registered model, loaded once per process; shows its source in the sidebar.

    A Hub failure shows one warning and uses the embedded copy; a missing embedded checkpoint
    shows one error and stops the page (the rest of the app keeps working).
    """
    from ganzoo.io import checkpoints
    try:
        loaded = _load(name, repo or None)
    except checkpoints.CheckpointError as exc:
        st.error(t("model.missing", name=name, error=str(exc)))
        sidebar_after_page()
        st.stop()
    if loaded.warning:
        st.warning(loaded.warning)
    used = st.session_state.setdefault("_models_this_run", [])
    if name not in used:
        used.append(name)
        st.sidebar.caption(t("sidebar.source", name=name, source=loaded.source))
    return loaded.model


def seed_input(key: str = "seed", default: int = 0, label_key: str = "seed.label") -> int:
    """A visible, settable seed, carried in the URL (`?seed=`) so a shared link reproduces the view."""
    if key not in st.session_state:
        st.session_state[key] = clamp_seed(st.query_params.get(key, default))
    value = st.number_input(t(label_key), min_value=0, max_value=MAX_SEED, step=1, key=key,
                            help=t("seed.help"))
    st.query_params[key] = str(int(value))
    return int(value)


DATASETS = ("mnist", "fashion")  # ganzoo.io.data.DATASETS, named here so the home page needs no torch


def dataset_choice(key: str = "data") -> str:
    """MNIST digits or Fashion-MNIST garments, carried in the URL (`?data=fashion`) and from page to
    page: the four pages that offer it share the key, and a widget's state on one page is not the
    same widget's on the next, so the value is handed over as plain session state before the widget
    is drawn (else the next page's control starts empty)."""
    held = st.session_state.get(key)
    st.session_state[key] = held if held in DATASETS else inputs.choice(st.query_params.get(key, DATASETS[0]),
                                                                       list(DATASETS), DATASETS[0])
    chosen = st.segmented_control(t("data.label"), list(DATASETS), key=key, required=True,
                                  format_func=lambda d: t("data." + d))
    st.query_params[key] = chosen
    return chosen


def class_name(dataset: str, k: int) -> str:
    """A class as a label in a list: "7", or "Trouser"."""
    return str(k) if dataset == "mnist" else t(f"data.fashion.{k}")


def class_phrase(dataset: str, k: int) -> str:
    """A class inside a sentence: "the digit 7", or "“Trouser”"."""
    return t(f"data.{dataset}.class", name=class_name(dataset, k))


def query_choice(key: str, options: list, default):
    """Initialise a widget's state from the URL when the value is one of `options`."""
    if key not in st.session_state:
        st.session_state[key] = inputs.choice(st.query_params.get(key, default), options, default)


def query_int(key: str, low: int, high: int, default: int):
    """Initialise a widget's state from the URL, clamped into [low, high]."""
    if key not in st.session_state:
        st.session_state[key] = inputs.integer(st.query_params.get(key, default), low, high, default)


def query_number(key: str, low: float, high: float, default: float):
    """Initialise a widget's state from the URL when it is a finite number inside [low, high]."""
    if key not in st.session_state:
        st.session_state[key] = inputs.number(st.query_params.get(key, default), low, high, default)


# A before/after slider over two images of the same size. Built on Streamlit's own components v2
# (inline HTML, CSS and JS, nothing fetched from a CDN) because the PyPI comparison components load
# their script from one, which an offline or locked-down host cannot reach.
_BEFORE_AFTER = st.components.v2.component(
    "ganzoo.before_after",
    html="""<figure class="ba"><img class="before" alt=""><div class="after"><img alt=""></div>
<div class="line"></div><span class="tag left"></span><span class="tag right"></span>
<input type="range" min="0" max="100" value="50" step="0.5"></figure>""",
    css="""
.ba { position: relative; margin: 0; width: 100%; max-width: 760px; line-height: 0; user-select: none; }
.ba img { display: block; width: 100%; height: auto; }
.ba .after { position: absolute; inset: 0; clip-path: inset(0 0 0 50%); }
.ba .after img { width: 100%; height: 100%; }
.ba .line { position: absolute; top: 0; bottom: 0; left: 50%; width: 3px; margin-left: -1px; background: #fff;
            box-shadow: 0 0 4px rgba(0, 0, 0, .6); pointer-events: none; }
.ba .tag { position: absolute; top: 8px; padding: 2px 8px; font: 600 13px/1.6 sans-serif; color: #fff;
           background: rgba(0, 0, 0, .55); border-radius: 4px; pointer-events: none; }
.ba .left { left: 8px; } .ba .right { right: 8px; }
.ba input { position: absolute; inset: 0; width: 100%; height: 100%; margin: 0; opacity: 0; cursor: ew-resize; }
.ba input:focus-visible + .line, .ba:focus-within .line { background: #ffd54a; }
""",
    js="""
export default function ({ data, parentElement }) {
  const root = parentElement.querySelector('.ba');
  root.querySelector('img.before').src = data.before;
  root.querySelector('.after img').src = data.after;
  root.querySelector('.left').textContent = data.left;
  root.querySelector('.right').textContent = data.right;
  const range = root.querySelector('input');
  range.setAttribute('aria-label', data.label);
  const show = () => {
    root.querySelector('.after').style.clipPath = `inset(0 0 0 ${range.value}%)`;
    root.querySelector('.line').style.left = `${range.value}%`;
  };
  range.oninput = show;
  show();
}
""",
)


def _data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def before_after(before_jpeg: bytes, after_jpeg: bytes, left: str, right: str, label: str, key: str) -> None:
    """Two images of one size, the second revealed right of a line the visitor drags (or moves
    with the arrow keys)."""
    _BEFORE_AFTER(data=dict(before=_data_uri(before_jpeg), after=_data_uri(after_jpeg), left=left, right=right,
                            label=label), key=key)
