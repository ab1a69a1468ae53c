"""The StyleGAN page under AppTest: the architecture, the mixing grid and its layer groups, truncation
in w against z, stochastic variation with its deviation map, every control carried in the URL, in
both languages and on both datasets."""

import re

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, TIMEOUT, open_page, page_text, speak_french

PAGE = "app_pages/stylegan.py"


def images(at):
    return [img.proto.imgs[0] for img in at.get("image")]


def caption_with(at, text):
    return next(img.caption for img in images(at) if text in img.caption)


def test_every_part_is_there():
    at = open_page(PAGE)
    text = page_text(at)
    assert len(at.get("graphviz_chart")) == 1 and "AdaIN" in text and "mapping network" in text
    assert "Rows: source A, seeds 0 to 4. Columns: source B, seeds 100 to 104. From B: coarse" in text
    assert len(images(at)) == 4  # the mixing grid, truncation in w, in z, the noise draws
    assert "Truncation in w, ψ = 0.70" in text and "Truncation in z, ψ = 0.70" in text
    assert any("noise_std" in str(p.proto.id) for p in at.get("plotly_chart"))
    assert "Progressive GAN" in text
    assert "mnist-stylegan" in " ".join(c.value for c in at.sidebar.caption)
    assert at.query_params["layers"] in ("coarse", ["coarse"])


def test_layer_groups_redraw_the_grid_and_none_gives_back_source_a():
    at = open_page(PAGE)
    coarse = images(at)[0].url
    at.segmented_control(key="layers").set_value(["fine"]).run()
    assert not at.exception and images(at)[0].url != coarse
    assert "From B: fine" in page_text(at) and at.query_params["layers"] in ("fine", ["fine"])
    at.segmented_control(key="layers").set_value([]).run()
    assert "From B: none" in page_text(at)
    at.segmented_control(key="layers").set_value(["coarse"]).run()
    assert images(at)[0].url == coarse


def test_source_seeds_move_the_grid_and_the_url():
    at = open_page(PAGE)
    before = images(at)[0].url
    at.number_input(key="a").set_value(20).run()
    assert images(at)[0].url != before and "seeds 20 to 24" in page_text(at)
    at.number_input(key="b").set_value(7).run()
    assert "seeds 7 to 11" in page_text(at)
    assert at.query_params["a"] in ("20", ["20"]) and at.query_params["b"] in ("7", ["7"])


def classes(caption):
    return int(re.search(r"(?:classes found|classes trouvées) among the \d+ images: (\d+)", caption).group(1))


def test_truncation_to_zero_in_w_leaves_one_image_for_the_judge():
    at = open_page(PAGE)
    at.slider(key="psi").set_value(0.0).run()
    assert classes(caption_with(at, "The judge")) == 1  # every seed becomes the average image
    at.slider(key="psi").set_value(1.0).run()
    assert classes(caption_with(at, "The judge")) > 1
    assert at.query_params["psi"] in ("1", ["1"])
    before = images(at)[1].url
    at.number_input(key="seed").set_value(9).run()
    assert images(at)[1].url != before


def test_noise_seed_redraws_the_details_and_reads_back():
    at = open_page(PAGE)
    noise = images(at)[3]
    assert "8 different noise draws (noise seed 0)" in noise.caption
    at.number_input(key="noise_seed").set_value(5).run()
    assert images(at)[3].url != noise.url and "(noise seed 5)" in images(at)[3].caption
    at.number_input(key="noise_seed").set_value(0).run()
    assert images(at)[3].url == noise.url
    assert re.search(r"\d+% of the pixels deviate by more than 0.02", page_text(at))


def test_state_from_the_url():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(a="3", b="40", layers="middle,fine", psi="0.3", seed="12")
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception
    text = page_text(at)
    assert "seeds 3 to 7" in text and "seeds 40 to 44" in text and "From B: middle (16 px), fine (32 px)" in text
    assert "ψ = 0.30" in text


def test_fashion_in_french(monkeypatch):
    speak_french(monkeypatch)
    at = open_page(PAGE, lang="fr", data="fashion")
    text = page_text(at)
    assert "Lignes : source A" in text and "Troncature dans w" in text
    assert "fashion-stylegan" in " ".join(c.value for c in at.sidebar.caption)
    assert "grossières" in text
