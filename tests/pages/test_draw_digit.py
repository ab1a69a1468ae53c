"""The draw-a-digit page under AppTest: a picture of a digit uploaded (the canvas sends the same PNG
bytes; tests/browser/test_visitor_input.py draws on the real canvas), the latent search, bad input."""

import io

import pytest
from PIL import Image, ImageDraw

from tests.pages.apptest import open_page, speak_french

PAGE = "app_pages/draw_digit.py"


def picture(lines, size=200, ink=0, paper=255, fmt="PNG") -> bytes:
    img = Image.new("L", (size, size), paper)
    d = ImageDraw.Draw(img)
    for line in lines:
        d.line(line, fill=ink, width=18, joint="curve")
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


ONE = [[(100, 25), (100, 175)]]
SEVEN = [[(45, 35), (160, 35), (80, 175)]]


def upload(at, data, name="digit.png"):
    at.file_uploader(key="upload").set_value((name, data, "image/png")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at, label_start):
    return next(m for m in at.metric if m.label.startswith(label_start))


def test_nothing_drawn_invites_a_drawing_and_computes_nothing():
    at = open_page(PAGE)
    assert [i.value for i in at.info] == ["Draw a digit in the black box to see what the networks make of it."]
    assert not at.metric and not at.error


@pytest.mark.parametrize("lines,digit,ink,paper", [(ONE, "1", 0, 255), (SEVEN, "7", 0, 255), (ONE, "1", 255, 0)])
def test_an_uploaded_digit_is_read_and_judged(lines, digit, ink, paper):
    at = upload(open_page(PAGE), picture(lines, ink=ink, paper=paper))
    assert metric(at, "The classifier reads").value.startswith(digit)
    realness = float(metric(at, "D(x)").value)
    assert 0.0 <= realness <= 1.0
    assert not at.error and not at.info


def test_the_search_finds_generated_digits_near_the_drawing_and_keeps_its_seed_in_the_url():
    at = upload(open_page(PAGE, seed=3), picture(ONE))
    assert any("Press 'Search z'" in c.value for c in at.caption)
    at.slider(key="steps").set_value(100).run()
    at.button(key="search").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "The generated digits nearest to yours" in text
    assert "The classifier reads the best match as a **1**" in text
    assert at.query_params["seed"] == "3" and at.query_params["steps"] == "100"
    # A new seed is a new search: the old result is not shown as if it were the new one's.
    at.number_input(key="seed").set_value(4).run()
    assert "The generated digits nearest to yours" not in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("data,message", [
    (b"not an image at all", "not an image we can read"),
    (picture([]), "There is no ink to read"),
])
def test_bad_uploads_get_one_message_and_nothing_else(data, message):
    at = upload(open_page(PAGE), data)
    assert len(at.error) == 1 and message in at.error[0].value
    assert not at.metric


def test_in_french(monkeypatch):
    speak_french(monkeypatch)
    at = upload(open_page(PAGE, lang="fr"), picture(SEVEN))
    assert at.title[0].value == "Dessinez un chiffre"
    assert metric(at, "Le classifieur lit").value.startswith("7")
    at = upload(open_page(PAGE, lang="fr"), b"\x89PNG broken")
    assert "Cette image ne peut pas être lue" in at.error[0].value
