"""The "Your generator" source of the sampling page (and of the latent walks): the upload, or a Hub
repo id where the operator allows them, the one message a refused file gets, what was read, and the
report card beside the shipped models.

The generator lives in the visitor's session (st.session_state) only: never in st.cache_resource,
which every session shares, so it goes when the session goes. Its samples are cached by the
digest of its bytes, like a shipped model's by its name. The reading and checking is
ganzoo/inference/uploaded.py; this module only draws.
"""

import streamlit as st

from ui import lang, load_model, stop, t

YOURS = "yours"  # the model selector's value for the visitor's own generator
STATE = "_your_generator"  # the loaded generator (ganzoo.inference.uploaded.Uploaded)
REFUSAL = "_your_generator_refused"  # the last refusal's message key and fields, shown until the next offer
PICKER = "_your_generator_picker"  # the file picker's number: a new, empty one after each file taken
REPO_TRIED = "_your_generator_repo"  # the repo id last tried, so a rerun does not fetch it again
HALF_PAIR = ("yours.error.needs_config", "yours.error.needs_weights")
FIGURES = "_your_generator_figures"  # {(digest, dataset): report card figures}
UPLOAD_TYPES = ["h5", "hdf5", "keras", "zip", "safetensors", "json"]


def number(x: int) -> str:
    """1,000 in English, 1 000 in French."""
    return f"{x:,}".replace(",", "\u202f" if lang() == "fr" else ",")


def uploaded():
    """The generator this visitor uploaded, if any."""
    return st.session_state.get(STATE)


def uploaded_for_walks():
    """The upload, where the latent walks can take it: a GAN of ganzoo.models.mnist (its z is one vector)."""
    current = uploaded()
    return current if current is not None and hasattr(current.model, "latent_size") else None


def forget() -> None:
    for key in (STATE, REFUSAL, FIGURES, REPO_TRIED):
        st.session_state.pop(key, None)


def your_generator_source(page: str = "mnist"):
    """Draws the upload controls and returns the session's generator; until there is one, says what
    to upload and stops the page (its quiz still comes last)."""
    from ganzoo.inference import uploaded as library
    from ganzoo.io import checkpoints
    from ganzoo.runtime import limits
    picker = st.session_state.get(PICKER, 0)  # a new picker after each file is taken: it starts empty
    files = st.file_uploader(t("yours.upload"), type=UPLOAD_TYPES, accept_multiple_files=True,
                             key=f"yours_files_{picker}",
                             help=t("yours.upload.help", limit=limits.max_generator_bytes() / 2**20))
    repo = ""
    if checkpoints.visitor_repos_allowed():  # off on public demos: see README, "Hub checkpoints"
        repo = st.text_input(t("yours.hub"), key="yours_repo", placeholder="owner/name@revision").strip()
    if files:
        _take(lambda: library.load_files([(f.name, f.getvalue()) for f in files]), new_picker=True)
    elif repo and repo != st.session_state.get(REPO_TRIED):
        st.session_state[REPO_TRIED] = repo
        _take(lambda: library.load_hub(repo), new_picker=False)
    if st.session_state.get(REFUSAL):
        key, fields = st.session_state[REFUSAL]
        st.error(t(key, **fields))
    current = uploaded()
    if current is None:
        st.info(t("yours.waiting"))
        stop(page)
    describe(current)
    return current


def _take(load, new_picker: bool) -> None:
    """Load what is offered. A refusal is kept (and shown) until the next offer, and changes nothing
    else: the generator uploaded before it stays. Then the picker is emptied for the next file, unless
    one half of a pair came alone (model.safetensors waiting for its config.json)."""
    from ganzoo import inference
    from ganzoo.runtime.device import policy
    from ganzoo.runtime.i18n import VisitorError
    try:
        with st.spinner(t("yours.reading")):
            uploaded = load()
            uploaded.model = inference.prepare(uploaded.model, policy())  # as the shipped models run here
            st.session_state[STATE] = uploaded
        st.session_state.pop(REFUSAL, None)
    except VisitorError as exc:
        st.session_state[REFUSAL] = (exc.key, exc.fields)
        if exc.key in HALF_PAIR:
            return
    if new_picker:
        st.session_state[PICKER] = st.session_state.get(PICKER, 0) + 1
        st.rerun()


def describe(current) -> None:
    """What was read and how it runs, the Keras mapping decided from the weights."""
    if current.kind == "keras":
        text = t(f"yours.keras.{current.layout}")
    else:
        text = t("yours.pytorch", arch=t(f"yours.arch.{current.layout}"))
    left, right = st.columns([5, 1])
    left.caption(t("yours.loaded", label=current.label, params=number(current.parameters)) + " " + text)
    right.button(t("yours.forget"), key="yours_forget", on_click=forget)
    st.sidebar.caption(t("yours.sidebar", label=current.label))


@st.cache_data(show_spinner=False, max_entries=8)
def _shipped_figures(name: str, n: int, _model, _classifier, _stats) -> dict:
    """A shipped model's card figures on the same samples: once per process (they never change)."""
    from ganzoo.inference import report_card
    return report_card.judge(_model, _classifier, _stats, n)


def report_card_section(current, dataset: str, classifier) -> None:
    """The upload's report card beside the shipped models', all on the same sample size."""
    import pandas as pd

    from ganzoo.evaluate import reference_stats
    from ganzoo.inference import report_card
    st.subheader(t("yours.report.title"))
    stats = reference_stats(dataset)
    n = report_card.REPORT_SAMPLES
    figures = st.session_state.setdefault(FIGURES, {})
    with st.spinner(t("yours.report.computing", n=number(n))):
        if (current.digest, dataset) not in figures:
            figures[(current.digest, dataset)] = report_card.judge(current.model, classifier, stats, n)
        shipped = {name: _shipped_figures(name, n, load_model(name), classifier, stats)
                   for name in report_card.COMPARED[dataset]}
    mine = figures[(current.digest, dataset)]
    real = report_card.real_figures(dataset)
    columns = {t("yours.report.yours"): mine, **{t(f"model.{name}"): f for name, f in shipped.items()},
               t("yours.report.real", n=number(real.get("samples") or 10_000)): real}
    rows = report_card.table(columns)
    st.table(pd.DataFrame({column: [values[i] for _, values in rows] for i, column in enumerate(columns)},
                          index=[t(f"yours.report.{metric}") for metric, _ in rows]))
    st.caption(t("yours.report.caption", n=number(n), seconds=mine["seconds"]))
