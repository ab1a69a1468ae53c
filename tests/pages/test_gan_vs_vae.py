"""The GAN-versus-VAE page under AppTest: samples from both with their sharpness, the encoder
against the search, walks, the training curve, the table, in both languages and on both datasets."""

import re

from tests.pages.apptest import open_page, page_text


def captions(at):
    return [img.proto.imgs[0].caption for img in at.get("image")]


def sharpness(caption):
    return float(re.search(r"(?:sharpness|netteté) ([\d.]+)", caption).group(1))


def test_samples_side_by_side_and_the_gan_is_sharper():
    at = open_page("app_pages/gan_vs_vae.py")
    gan, vae = captions(at)[:2]
    assert "32 samples, seed 0" in gan and "32 samples, seed 0" in vae
    assert sharpness(gan) > 1.5 * sharpness(vae)  # what the page says, measured on what it shows
    assert any("sharper" in m.value for m in at.markdown)
    assert any("elbo_curve" in str(p.proto.id) or "reconstruction" in p.proto.spec for p in at.get("plotly_chart"))
    assert "the ELBO: reconstruction + KL to the prior" in page_text(at)
    assert any("negative ELBO" in c.value and "= reconstruction" in c.value for c in at.caption)  # from its card
    assert "mnist-vae" in " ".join(c.value for c in at.sidebar.caption)


def test_seed_and_count_redraw_and_come_back():
    at = open_page("app_pages/gan_vs_vae.py")
    first = [img.proto.imgs[0].url for img in at.get("image")]
    at.number_input(key="n").set_value(16).run()
    assert "16 samples" in captions(at)[0]
    at.number_input(key="seed").set_value(7).run()
    assert "seed 7" in captions(at)[1]
    at.number_input(key="n").set_value(32).run()
    at.number_input(key="seed").set_value(0).run()
    assert [img.proto.imgs[0].url for img in at.get("image")] == first


def test_the_search_is_slower_and_closer_than_the_encoder():
    at = open_page("app_pages/gan_vs_vae.py")
    rows = len(at.get("image"))
    at.toggle(key="search").set_value(True).run()
    assert not at.exception
    assert len(at.get("image")) == rows + 1  # one more row: the GAN's search
    vae_error, gan_error = (float(x) for x in re.findall(r"mean squared error ([\d.]+)",
                                                          " ".join(c.value for c in at.caption)))
    assert gan_error < vae_error  # the images came from the GAN: a search finds them


def test_walk_seeds_move_both_strips():
    at = open_page("app_pages/gan_vs_vae.py")
    before = [img.proto.imgs[0].url for img in at.get("image")][-2:]
    at.number_input(key="a").set_value(11).run()
    after = [img.proto.imgs[0].url for img in at.get("image")][-2:]
    assert after[0] != before[0] and after[1] != before[1]
    assert at.query_params["a"] in ("11", ["11"])


def test_fashion_in_french():
    at = open_page("app_pages/gan_vs_vae.py", lang="fr", data="fashion")
    assert "échantillons, graine 0" in captions(at)[0]
    assert "fashion-vae" in " ".join(c.value for c in at.sidebar.caption)
    assert "la moyenne de toutes les images" in page_text(at) or "plus nets" in page_text(at)
