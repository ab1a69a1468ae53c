"""Conditional picking: ask the conditional GAN for a digit (or a garment), or for a whole number."""

import streamlit as st
import torch

from ganzoo import checkpoints, inputs
from ganzoo import sample as sampling
from ganzoo.images import display_scale, grid, png_bytes, to_uint8, upscale
from ui import class_name, class_phrase, dataset_choice, load_model, query_int, quiz_section, seed_input, stop, t

MAX_NUMBER_DIGITS = 16

heading = st.empty()  # the title names what the chosen data holds, so it is written once that is known
dataset = dataset_choice()
heading.title(t(f"data.{dataset}.cond_title"))
st.markdown(t(f"data.{dataset}.cond_intro"))

model = load_model(f"{dataset}-cgan")
classifier = load_model(checkpoints.judge_of(dataset))

query_int("digit", 0, 9, 7)
query_int("per_digit", 1, 32, 8)
c1, c2, c3 = st.columns([3, 1, 1])
digit = c1.segmented_control(t(f"data.{dataset}.kind"), list(range(10)), key="digit", wrap=True,
                             format_func=lambda k: class_name(dataset, k))  # garment names take two rows
digit = 7 if digit is None else int(digit)
per_digit = c2.number_input(t("cond.n"), 1, 32, key="per_digit")
with c3:
    seed = seed_input("seed", 0)
st.query_params.update(digit=str(digit), per_digit=str(per_digit))

labels = torch.full((int(per_digit),), digit)
images = sampling.sample(model, int(per_digit), seed, labels=labels)
read = sampling.classify(classifier, images).argmax(1)
picture = png_bytes(
    upscale(grid(to_uint8(images), int(per_digit), pad=2, pad_value=255), display_scale(int(per_digit)))
)
st.image(
    picture,
    caption=t("cond.caption", digit=class_phrase(dataset, digit), agree=int((read == digit).sum()), n=int(per_digit)),
    output_format="PNG",
)
st.download_button(t("download.png"), picture, f"{dataset}_cgan_class{digit}_seed{seed}.png", "image/png",
                   key="download_digit")

with st.expander(t("cond.all"), expanded=False):
    # Row k holds digit k; column j uses the same noise z_j in every row, so a column keeps its style.
    z = sampling.latents(model, int(per_digit), seed).repeat(10, 1)
    all_labels = torch.arange(10).repeat_interleave(int(per_digit))
    table = to_uint8(sampling.generate(model, z, all_labels))
    full = png_bytes(upscale(grid(table, int(per_digit), pad=2, pad_value=255), display_scale(int(per_digit))))
    st.image(full, caption=t(f"cond.all.caption.{dataset}"), output_format="PNG")
    st.download_button(t("download.png"), full, f"{dataset}_cgan_all_seed{seed}.png", "image/png", key="download_all")

if dataset != "mnist":  # a number is written in digits only
    stop("cond")
st.header(t("cond.number"))
if "number" not in st.session_state:
    st.session_state.number = "".join(map(str, inputs.digits(st.query_params.get("number", "2026"),
                                                             MAX_NUMBER_DIGITS)))
text = st.text_input(t("cond.number.input"), key="number", max_chars=MAX_NUMBER_DIGITS)
digits = inputs.digits(text)
if text and len(digits) != len(text.replace(" ", "")):
    st.warning(t("cond.number.only_digits"))
if digits:
    st.query_params["number"] = "".join(map(str, digits))
    wanted = torch.tensor(digits)
    written = sampling.sample(model, len(digits), seed, labels=wanted)
    reads = sampling.classify(classifier, written).argmax(1)
    tiles = to_uint8(written)
    strip = png_bytes(upscale(grid(tiles, len(digits), pad=0, pad_value=0), display_scale(len(digits))))
    st.image(strip, caption=t("cond.number.caption"), output_format="PNG")
    cols = st.columns(len(digits))
    for col, w, r in zip(cols, digits, reads.tolist()):
        col.markdown(f"**{r}**" + (" ✓" if r == w else f" ✗ ({w})"))
    agree = int((reads == wanted).sum())
    (st.success if agree == len(digits) else st.warning)(t("cond.number.agree", agree=agree, n=len(digits),
                                                            read="".join(map(str, reads.tolist()))))
    st.download_button(t("download.png"), strip, f"number_{''.join(map(str, digits))}_seed{seed}.png",
                       "image/png", key="download_number")

quiz_section("cond")
