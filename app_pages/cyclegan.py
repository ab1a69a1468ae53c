"""CycleGAN photo <-> painting: translate an upload or a sample, and check the cycle back."""

from functools import partial
from pathlib import Path

import streamlit as st

import app_figures
import course
from ganzoo.inference import cycle_passes, translation
from ganzoo.inference.batch_translation import BatchTranslation
from ganzoo.io import checkpoints
from ganzoo.io.images import ImageInputError, decode_image
from ganzoo.models.cyclegan import CycleGAN
from ganzoo.runtime import limits
from ganzoo.runtime.device import policy_of
from ganzoo.training import snapshots
from ui import before_after, lang, load_model, query_choice, quiz_section, stop, t, with_heavy_work_slot

SAMPLES = Path(__file__).resolve().parent.parent / "assets" / "samples"
COMPACT = "cyclegan-monet-compact"

st.title(t("cycle.title"))
st.markdown(t("cycle.intro"))
course.cycle_losses()
course.section("cyclegan")

styles = [COMPACT] + checkpoints.available("cyclegan-official")
query_choice("style", styles, COMPACT)
query_choice("direction", ["BA", "AB"], "BA")
c1, c2 = st.columns(2)
style = c1.selectbox(t("cycle.style"), styles, key="style", format_func=lambda s: t("model." + s))
official = style != COMPACT
direction = c2.radio(t("cycle.direction"), ["BA", "AB"], key="direction", horizontal=True,
                     format_func=lambda d: t("cycle.direction." + d), disabled=official)
direction = "BA" if official else direction
st.caption(t("cycle.official_note") if official else t("cycle.compact_note"))
c3, c4 = st.columns(2)
size_policy = c3.radio(t("cycle.size"), translation.SIZE_POLICIES, key="size_policy", horizontal=True,
                       format_func=lambda s: t("cycle.size." + s))
max_side = c4.slider(t("cycle.max_side"), 256, 2048, 1024, 64, key="max_side", disabled=size_policy == "crop256")
query_choice("mode", ["one", "batch"], "one")
mode = st.segmented_control(t("cycle.mode"), ["one", "batch"], key="mode", required=True,
                            format_func=lambda m: t("cycle.mode." + m))
st.query_params.update(style=style, direction=direction, mode=mode)

model = load_model(style)
forward = model.generator(direction) if isinstance(model, CycleGAN) else model
backward = model.generator(cycle_passes.other_direction(direction)) if isinstance(model, CycleGAN) else None
cycle_passes.warm_up(g for g in (forward, backward) if g is not None)  # once per generator and process


def translate_batch(files: list) -> dict:
    """Every upload translated with the page's settings, one at a time through the server's heavy
    work slot (taken per image, not for the whole batch, so other visitors get their turn)."""
    bar = st.progress(0.0, text=t("cycle.batch.progress", i=0, n=len(files)))
    batch = BatchTranslation(forward, ((f.name, f.getvalue()) for f in files), size_policy, max_side,
                             limits.max_output_pixels(), lang())
    for i in range(len(files)):
        if not with_heavy_work_slot(batch.step, t("cycle.busy")):
            bar.empty()
            stop("cycle")
        bar.progress((i + 1) / len(files), text=t("cycle.batch.progress", i=i + 1, n=len(files)))
    bar.empty()
    return batch.outcome()


def batch_view() -> None:
    st.header(t("cycle.batch.title"))
    st.markdown(t("cycle.batch.text", n=limits.max_batch_files()))
    batch = st.file_uploader(t("cycle.batch.upload"), type=["jpg", "jpeg", "png", "webp"],
                             accept_multiple_files=True, key="batch")
    signature = (tuple((f.name, f.size, f.file_id) for f in batch or []), style, direction, size_policy, max_side)
    if batch:
        if len(batch) > limits.max_batch_files():
            st.warning(t("cycle.batch.too_many", n=len(batch), limit=limits.max_batch_files()))
        if st.button(t("cycle.batch.go", n=min(len(batch), limits.max_batch_files())), key="batch_go", type="primary"):
            st.session_state["batch_result"] = (signature, translate_batch(batch[:limits.max_batch_files()]))
    found = st.session_state.get("batch_result")
    if found is not None and found[0] == signature:
        outcome = found[1]
        if outcome["failed"]:
            st.error(t("cycle.batch.failed", n=len(outcome["failed"])) + "\n\n" +
                     "\n".join(f"- {line}" for line in outcome["failed"]))
        if outcome["archive"]:
            for row in range(0, len(outcome["thumbs"]), 4):  # four thumbnails a row
                for col, (name, thumb) in zip(st.columns(4), outcome["thumbs"][row:row + 4]):
                    col.image(thumb, caption=name, width="stretch", output_format="JPEG")
            st.download_button(t("cycle.batch.download"), outcome["archive"],
                               "ganzoo_translations.zip", "application/zip", key="batch_download")


if mode == "batch":  # the single image's translation, cycle and identity are not computed at all
    batch_view()
    stop("cycle")

samples = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".jpg", ".png"))
left, right = st.columns([3, 2])
upload = left.file_uploader(t("cycle.upload"), type=["jpg", "jpeg", "png", "webp"], key="upload")
sample = right.selectbox(t("cycle.sample"), samples, key="sample", format_func=lambda name: Path(name).stem,
                         index=samples.index("synthetic_landscape.png") if "synthetic_landscape.png" in samples else 0)
st.caption(t("cycle.samples_licence"))

with_slot = partial(with_heavy_work_slot, busy=t("cycle.busy"), waiting=t("cycle.waiting"))
try:  # an image that cannot be decoded, or translated (a 10000x10 strip at "keep size"), stops the page here
    max_pixels = limits.max_output_pixels()
    data = upload.getvalue() if upload is not None else (SAMPLES / sample).read_bytes()
    image = decode_image(data, at_least=lambda size: translation.needed_size(size, size_policy, max_side))
    if size_policy != "crop256":
        wanted = translation.fit_size(image.size, max_side)
        allowed = translation.fit_size(image.size, max_side, max_pixels)
        if allowed != wanted:
            st.info(t("cycle.capped", w=allowed[0], h=allowed[1], wanted_w=wanted[0], wanted_h=wanted[1],
                      mp=max_pixels / 1e6))
    source = (style, upload.file_id if upload is not None else sample, size_policy, max_side, max_pixels)
    store = cycle_passes.store_for(st.session_state.get("_cycle_passes"), source)  # a sample's first view: shared
    store = st.session_state["_cycle_passes"] = store if upload else cycle_passes.SAMPLE_VIEWS.seeded(store, direction)
    passes = cycle_passes.CyclePasses(store, forward, backward, direction, size_policy)
    if not passes.translated and not with_slot(lambda: passes.translate(image, max_side, max_pixels)):
        stop("cycle")
except ImageInputError as exc:
    st.error(t("cycle.bad_image", error=exc.text(lang())))
    stop("cycle")
input_caption = t("cycle.input", w=passes.x.shape[-1], h=passes.x.shape[-2])
names = course.cycle_symbols(direction)  # the course's x, y, G and F for what the tabs show


def show(column, key, caption: str) -> None:
    """What the page shows for a pass ("x": the input), as the PNG kept with the passes."""
    column.image(passes.png(key), caption=caption, width="stretch", output_format="PNG")


def cycle_view() -> None:  # the input, its trip there and back, and where they differ
    if not passes.has(passes.cycle_key) and not with_slot(passes.run_cycle):
        return
    l1, error_map = passes.cycle_error()
    st.markdown(t("cycle.cycle.text", **names))
    cols = st.columns(3)
    show(cols[0], "x", input_caption)
    show(cols[1], passes.cycle_key, t("cycle.reconstruction", l1=l1, **names))
    cols[2].plotly_chart(app_figures.cycle_error_map(error_map, "|{v} − {back}({there}({v}))|".format(**names)),
                         key="cycle_error")
    st.caption(t("cycle.colour_blind"))


def identity_view() -> None:
    if not passes.has(passes.identity_key) and not with_slot(passes.run_identity):
        return
    l1 = passes.identity_error()
    cols = st.columns(3)
    show(cols[0], "x", input_caption)
    show(cols[1], passes.identity_key, t("cycle.identity.caption", l1=l1, **names))
    cols[2].markdown(t("cycle.identity.text", **names))


def side_by_side_view() -> None:
    cols = st.columns(2)
    show(cols[0], "x", input_caption)
    show(cols[1], (direction, "x"), t("cycle.output", ms=passes.seconds * 1e3, device=policy_of(forward).describe()))


def slider_view() -> None:
    source, target = ("photo", "painting") if direction == "BA" else ("painting", "photo")
    before_after(*passes.slider_jpegs(), t("cycle.kind." + source), t("cycle.kind." + target),
                 t("cycle.slider_label"), key="before_after")
    st.caption(t("cycle.slider_help"))


# Tabs that track which one is open, so only that one runs: one pass per new image, one per check opened.
views = {"side_by_side": side_by_side_view, "slider": slider_view}
if backward is not None:
    views.update(cycle=cycle_view, identity=identity_view)
tabs = st.tabs([t("cycle.tab." + name) for name in views], key="cycle_tab", on_change="rerun")
for tab, view in zip(tabs, views.values()):
    if tab.open is not False:  # None when tabs cannot track state (every tab runs then)
        with tab:
            view()
# The full-size PNG is encoded only when asked for (a 2048x2048 image takes a second).
st.download_button(t("download.png"), passes.full_png, f"translated_{Path(sample).stem}.png", "image/png",
                   key="download")
if passes.small_x.shape != passes.x.shape:
    st.caption(t("cycle.preview_note", w=passes.small_x.shape[-1], h=passes.small_x.shape[-2]))

shots = snapshots.listed(checkpoints.embedded_folder(style)) if not official else []
if shots:  # how this model's translations changed while it trained
    st.header(t("cycle.history"))
    st.markdown(t("cycle.history.text", n=len(shots), first=shots[0][0], last=shots[-1][0]))
    iterations = [str(it) for it, _ in shots]
    query_choice("it", iterations, iterations[-1])
    shown = st.select_slider(t("cycle.history.slider"), iterations, key="it")
    st.query_params["it"] = shown
    st.image(str(shots[0][1].parent / "inputs.jpg"), caption=t("cycle.history.inputs"), output_format="JPEG")
    st.image(str(dict(shots)[int(shown)]), caption=t("cycle.history.caption", it=int(shown)), output_format="JPEG")
    history = checkpoints.read_card(checkpoints.embedded_folder(style)).get("history", [])
    if history:  # the losses of the run that made these weights, averaged over each logging window
        names = {k: t(f"cycle.history.{k}") for k in ("cycle", "identity", "adv")}
        st.plotly_chart(app_figures.cycle_loss_history(history, int(shown), names, t("cycle.history.losses"),
                                                       t("cycle.history.slider")), width="stretch", key="loss_history")

quiz_section("cycle")
