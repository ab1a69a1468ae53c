"""Conditional picking: ask the conditional GAN for a digit (or a garment), or for a whole number."""

import streamlit as st

import course
from ganzoo.inference import sampling
from ganzoo.io import checkpoints, inputs
from ganzoo.io.images import grid_png
from ui import class_name, class_phrase, dataset_choice, load_model, query_int, quiz_section, seed_input, stop, t

MAX_NUMBER_DIGITS = 16

heading = st.empty()  # the title names what the chosen data holds, so it is written once that is known
dataset = dataset_choice()
heading.title(t(f"data.{dataset}.cond_title"))
st.markdown(t(f"data.{dataset}.cond_intro"))
course.section("kinds")

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



# Each batch is kept with what the judge read in it, by (data, request, seed): coming back to the
# page, or changing only another control, redraws nothing.
@st.cache_data(show_spinner=False, max_entries=64)
def written(dataset: str, labels: tuple, seed: int, _model, _classifier, pad=2, pad_value=255) -> tuple[bytes, list]:
    """The digits (or garments) `labels` drawn with one seed, as one PNG row, and the judge's reading."""
    images = sampling.sample(_model, len(labels), seed, labels=list(labels))
    return (grid_png(images, len(labels), pad=pad, pad_value=pad_value),
            sampling.classify(_classifier, images).argmax(1).tolist())


@st.cache_data(show_spinner=False, max_entries=32)
def every_class(dataset: str, per_digit: int, seed: int, _model) -> bytes:
    """Row k holds class k; column j uses the same noise z_j in every row, so a column keeps its style."""
    return grid_png(sampling.every_class(_model, per_digit, seed), per_digit)


image, read = written(dataset, (digit,) * int(per_digit), seed, model, classifier)
st.image(
    image,
    caption=t("cond.caption", digit=class_phrase(dataset, digit), agree=read.count(digit), n=int(per_digit)),
    output_format="PNG",
)
st.download_button(t("download.png"), image, f"{dataset}_cgan_class{digit}_seed{seed}.png", "image/png",
                   key="download_digit")

with st.expander(t("cond.all"), expanded=False):
    full = every_class(dataset, int(per_digit), seed, model)
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
    strip, reads = written(dataset, tuple(digits), seed, model, classifier, pad=0, pad_value=0)
    st.image(strip, caption=t("cond.number.caption"), output_format="PNG")
    cols = st.columns(len(digits))
    for col, w, r in zip(cols, digits, reads):
        col.markdown(f"**{r}**" + (" ✓" if r == w else f" ✗ ({w})"))
    agree = sum(r == w for r, w in zip(reads, digits))
    (st.success if agree == len(digits) else st.warning)(t("cond.number.agree", agree=agree, n=len(digits),
                                                            read="".join(map(str, reads))))
    st.download_button(t("download.png"), strip, f"number_{''.join(map(str, digits))}_seed{seed}.png",
                       "image/png", key="download_number")

quiz_section("cond")
