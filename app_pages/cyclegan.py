"""CycleGAN photo <-> painting: translate an upload or a sample, and check the cycle back."""

import time
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st
import torch
import torch.nn.functional as F

import course
from ganzoo import checkpoints, limits, snapshots, translate
from ganzoo.device import policy
from ganzoo.images import ImageInputError, decode_image, jpeg_bytes, png_bytes, to_uint8
from ganzoo.models.cyclegan import CycleGAN
from ui import before_after, heavy_work_slots, lang, load_model, query_choice, quiz_section, stop, t

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
if official:
    direction = "BA"
    st.caption(t("cycle.official_note"))
else:
    st.caption(t("cycle.compact_note"))
c3, c4 = st.columns(2)
size_policy = c3.radio(t("cycle.size"), translate.SIZE_POLICIES, key="size_policy", horizontal=True,
                       format_func=lambda s: t("cycle.size." + s))
max_side = c4.slider(t("cycle.max_side"), 256, 2048, 1024, 64, key="max_side", disabled=size_policy == "crop256")
query_choice("mode", ["one", "batch"], "one")
mode = st.segmented_control(t("cycle.mode"), ["one", "batch"], key="mode", required=True,
                            format_func=lambda m: t("cycle.mode." + m))
st.query_params.update(style=style, direction=direction, mode=mode)

model = load_model(style)
forward = model.generator(direction) if isinstance(model, CycleGAN) else model
backward = model.generator("AB" if direction == "BA" else "BA") if isinstance(model, CycleGAN) else None


@st.cache_resource(show_spinner=False)
def warmed_up(style: str, _generators) -> bool:
    """oneDNN builds its kernels on a network's first call at a size (~10x the steady time): pay
    that once per process at 256x256, so the time shown to a visitor is the time it really takes."""
    for generator in _generators:
        translate.run(generator, torch.zeros(1, 3, 256, 256))
    return True


warmed_up(style, [g for g in (forward, backward) if g is not None])

PREVIEW_SIDE = 768  # what the page shows and checks the cycle on; the download keeps the full size
HEATMAP_SIDE = 256  # the error map sent to the browser
WAIT_SECONDS = 300  # how long a visitor waits for another's translation before being told to retry


def preview(x: torch.Tensor, side: int = PREVIEW_SIDE) -> torch.Tensor:
    """(1,C,H,W) shrunk by area averaging so its longer side is at most `side` (sides a multiple of 4)."""
    h, w = x.shape[-2:]
    if max(h, w) <= side:
        return x
    scale = side / max(h, w)
    return F.interpolate(x, size=(max(4, int(h * scale) // 4 * 4), max(4, int(w * scale) // 4 * 4)), mode="area")


slots = heavy_work_slots()


# --- Several photos at once -----------------------------------------------------------------------
THUMB_SIDE = 192


def translate_batch(files: list) -> dict:
    """Every upload translated with the page's settings, one at a time through the server's heavy
    work slot (taken per image, not for the whole batch, so other visitors get their turn)."""
    done, failed, thumbs = [], [], []
    bar = st.progress(0.0, text=t("cycle.batch.progress", i=0, n=len(files)))
    results = translate.translate_files(forward, ((f.name, f.getvalue()) for f in files), size_policy, max_side,
                                        limits.max_output_pixels())
    for i in range(len(files)):
        if not slots.acquire(timeout=WAIT_SECONDS):
            bar.empty()
            st.warning(t("cycle.busy"))
            stop("cycle")
        try:
            name, result = next(results)  # decoded and translated here, inside the slot
        finally:
            slots.release()
        if isinstance(result, ImageInputError):
            failed.append(f"{name}: {result.text(lang())}")
        else:
            done.append((name, to_uint8(result.output[0])))
            thumbs.append((name, jpeg_bytes(to_uint8(preview(result.output, THUMB_SIDE)[0]))))
        bar.progress((i + 1) / len(files), text=t("cycle.batch.progress", i=i + 1, n=len(files)))
    bar.empty()
    return dict(archive=translate.zip_pngs(done) if done else None, thumbs=thumbs, failed=failed)


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
            per_row = 4
            for row in range(0, len(outcome["thumbs"]), per_row):
                cols = st.columns(per_row)
                for col, (name, thumb) in zip(cols, outcome["thumbs"][row:row + per_row]):
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

try:
    data = upload.getvalue() if upload is not None else (SAMPLES / sample).read_bytes()
    # Decoded no smaller than the size asked for before the pixel cap, so the page can say what the cap did.
    image = decode_image(data, at_least=lambda size: translate.needed_size(size, size_policy, max_side))
except ImageInputError as exc:
    st.error(t("cycle.bad_image", error=exc.text(lang())))
    stop("cycle")

if size_policy != "crop256":
    wanted, allowed = translate.fit_size(image.size, max_side), translate.fit_size(image.size, max_side,
                                                                                  limits.max_output_pixels())
    if allowed != wanted:
        st.info(t("cycle.capped", w=allowed[0], h=allowed[1], wanted_w=wanted[0], wanted_h=wanted[1],
                  mp=limits.max_output_pixels() / 1e6))
# Every generator pass is kept for this session's current image, keyed by (generator, input). On an
# image the page shows whole, the identity check is the other direction's translation, so after a
# direction switch only the cycle back is new work: one pass instead of three. The passes of one
# image are kept (at most its two full-size translations), and dropped when the image changes.
shown_image = (style, upload.file_id if upload is not None else sample, size_policy, max_side,
               limits.max_output_pixels())
if st.session_state.get("_cycle_passes", {}).get("source") != shown_image:
    st.session_state["_cycle_passes"] = {"source": shown_image}
passes = st.session_state["_cycle_passes"]
other = "AB" if direction == "BA" else "BA"
names = course.cycle_symbols(direction)  # the course's x, y, G and F for what the tabs show


def pass_key(generator: str, name: str) -> tuple:
    """(generator, input); "x small" (the preview the checks run on) is "x" itself when they are the
    same tensor and run through the same path (untiled)."""
    x = passes.get("x")
    whole = x is not None and max(x.shape[-2:]) <= PREVIEW_SIDE and (
        size_policy != "tiled" or max(x.shape[-2:]) <= translate.TILE)
    return generator, "x" if name == "x small" and whole else name


def run_pass(generator, key, make_input) -> None:
    if key not in passes:
        start = time.perf_counter()
        passes[key] = (translate.run(generator, make_input()), time.perf_counter() - start)


def with_slot(work) -> bool:
    """work() run holding the server's heavy-work slot, waiting for it while another visitor's
    translation holds it; False (and the page says so) when the wait ran out."""
    held = slots.acquire(blocking=False)
    try:  # entered at once: a rerun raised by any Streamlit call below must still give the slot back
        if not held:
            with st.spinner(t("cycle.waiting")):
                held = slots.acquire(timeout=WAIT_SECONDS)
            if not held:
                st.warning(t("cycle.busy"))
                return False
        work()
        return True
    finally:
        if held:
            slots.release()


def translate_shown() -> None:
    try:
        result = translate.translate(forward, image, size_policy, max_side, limits.max_output_pixels())
    except ImageInputError as exc:  # e.g. a 10000x10 strip at "keep size"
        st.error(t("cycle.bad_image", error=exc.text(lang())))
        stop("cycle")
    passes["x"], passes[(direction, "x")] = result.input, (result.output, result.seconds)


if (direction, "x") not in passes and not with_slot(translate_shown):
    stop("cycle")
x, (y, seconds) = passes["x"], passes[(direction, "x")]
small_x, small_y = preview(x), preview(y)


def show(column, image: torch.Tensor, caption: str, key) -> None:
    """An image in [-1, 1] as PNG at ganzoo's fast zlib level (Streamlit's default level took 0.6 s
    for the four previews of a large upload), kept with the passes under the key of the pass that
    made it: after a direction switch the images shown again are ones already encoded."""
    png = passes.get(("png", key))
    if png is None:
        png = passes[("png", key)] = png_bytes(to_uint8(image[0]))
    column.image(png, caption=caption, width="stretch", output_format="PNG")


def show_input(column) -> None:
    show(column, small_x, t("cycle.input", w=x.shape[-1], h=x.shape[-2]), "x")


def cycle_view() -> None:
    """The input, its trip there and back ({back}({there}({v})) in the course's names) and where they differ; the
    errors are kept with the passes they compare, like the PNGs."""
    cycle_key = pass_key(other, "y " + direction)
    if cycle_key not in passes and not with_slot(lambda: run_pass(backward, cycle_key, lambda: small_y)):
        return
    if ("error", cycle_key) not in passes:
        error = (small_x - passes[cycle_key][0]).abs().mean(1, keepdim=True)
        passes[("error", cycle_key)] = float(error.mean()), preview(error, HEATMAP_SIDE)[0, 0].numpy()
    l1, error_map = passes[("error", cycle_key)]
    st.markdown(t("cycle.cycle.text", **names))
    cols = st.columns(3)
    show_input(cols[0])
    show(cols[1], passes[cycle_key][0], t("cycle.reconstruction", l1=l1, **names), cycle_key)
    fig = go.Figure(go.Heatmap(z=error_map, colorscale="Magma", zmin=0, zmax=1,
                               colorbar=dict(title="|{v} − {back}({there}({v}))|".format(**names))))
    fig.update_yaxes(autorange="reversed", scaleanchor="x", visible=False)
    fig.update_xaxes(visible=False)
    fig.update_layout(height=360, margin=dict(l=0, r=0, t=10, b=0))
    cols[2].plotly_chart(fig, key="cycle_error")
    st.caption(t("cycle.colour_blind"))


def identity_view() -> None:
    identity_key = pass_key(other, "x small")
    if identity_key not in passes and not with_slot(lambda: run_pass(backward, identity_key, lambda: small_x)):
        return
    if ("error", identity_key) not in passes:
        passes[("error", identity_key)] = float((small_x - passes[identity_key][0]).abs().mean())
    cols = st.columns(3)
    show_input(cols[0])
    show(cols[1], passes[identity_key][0], t("cycle.identity.caption", l1=passes[("error", identity_key)], **names),
         identity_key)
    cols[2].markdown(t("cycle.identity.text", **names))


def side_by_side_view() -> None:
    cols = st.columns(2)
    show_input(cols[0])
    show(cols[1], small_y, t("cycle.output", ms=seconds * 1e3, device=policy().describe()), (direction, "x"))


def slider_view() -> None:
    source, target = ("photo", "painting") if direction == "BA" else ("painting", "photo")
    before_after(jpeg_bytes(to_uint8(small_x[0])), jpeg_bytes(to_uint8(small_y[0])), t("cycle.kind." + source),
                 t("cycle.kind." + target), t("cycle.slider_label"), key="before_after")
    st.caption(t("cycle.slider_help"))


# Tabs that track which one is open, so only that one runs: a new image costs one generator pass
# (the translation) until a visitor opens the cycle or identity check, which costs one more each.
views = {"side_by_side": side_by_side_view, "slider": slider_view}
if backward is not None:
    views.update(cycle=cycle_view, identity=identity_view)
tabs = st.tabs([t("cycle.tab." + name) for name in views], key="cycle_tab", on_change="rerun")
for tab, view in zip(tabs, views.values()):
    if tab.open is not False:  # None when tabs cannot track state (every tab runs then)
        with tab:
            view()
# The full-size PNG is encoded only when asked for (a 2048x2048 image takes a second).
st.download_button(t("download.png"), lambda: png_bytes(to_uint8(y[0])), f"translated_{Path(sample).stem}.png",
                   "image/png", key="download")
if small_x.shape != x.shape:
    st.caption(t("cycle.preview_note", w=small_x.shape[-1], h=small_x.shape[-2]))

shots = snapshots.listed(checkpoints.embedded_folder(style)) if not official else []
if shots:  # how this model's translations changed while it trained
    st.header(t("cycle.history"))
    st.markdown(t("cycle.history.text", n=len(shots), first=shots[0][0], last=shots[-1][0]))
    iterations = [it for it, _ in shots]
    query_choice("it", [str(it) for it in iterations], str(iterations[-1]))
    shown = st.select_slider(t("cycle.history.slider"), [str(it) for it in iterations], key="it")
    st.query_params["it"] = shown
    st.image(str(shots[0][1].parent / "inputs.jpg"), caption=t("cycle.history.inputs"), output_format="JPEG")
    st.image(str(dict(shots)[int(shown)]), caption=t("cycle.history.caption", it=int(shown)), output_format="JPEG")
    history = checkpoints.read_card(checkpoints.embedded_folder(style)).get("history", [])
    if history:  # the losses of the run that made these weights, averaged over each logging window
        steps = [h["iteration"] for h in history]
        fig = go.Figure([go.Scatter(x=steps, y=[h[k] for h in history], name=t(f"cycle.history.{k}"))
                         for k in ("cycle", "identity", "adv")])
        fig.add_vline(x=int(shown), line_dash="dot", line_color="grey")
        fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), title=t("cycle.history.losses"),
                          xaxis_title=t("cycle.history.slider"), legend=dict(orientation="h", y=-0.3))
        st.plotly_chart(fig, width="stretch", key="loss_history")

quiz_section("cycle")
