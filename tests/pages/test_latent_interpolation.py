"""The latent walks page under AppTest."""



from tests.pages.apptest import open_page


def strips(at):
    return [img.proto.imgs[0].url for img in at.get("image")]


def test_interpolation_models_and_direction():
    at = open_page("app_pages/latent_interpolation.py")
    assert len(at.get("image")) >= 3  # linear strip, spherical strip, controllable grid
    at.number_input(key="steps").set_value(5).run()
    at.slider(key="alpha").set_value(2.0).run()
    assert not at.exception
    assert "α = +2.00" in at.get("image")[-1].proto.imgs[0].caption
    at.radio(key="direction_kind").set_value("random").run()
    assert not at.exception
    at.selectbox(key="model").set_value("mnist-cgan").run()
    assert not at.exception
    assert any("Class morph" in m.value for m in at.markdown)


def test_interpolation_endpoint_seeds_move_the_ends():
    at = open_page("app_pages/latent_interpolation.py")
    before = strips(at)
    at.number_input(key="a").set_value(11).run()
    assert not at.exception
    after_a = strips(at)
    assert after_a[0] != before[0] and after_a[1] != before[1]  # both strips start elsewhere
    at.number_input(key="b").set_value(12).run()
    assert strips(at)[0] != after_a[0]
    at.number_input(key="a").set_value(1).run()
    at.number_input(key="b").set_value(2).run()
    assert strips(at)[:2] == before[:2]  # back to the same endpoints, the same pictures


def test_interpolation_class_morph_digits_and_target():
    at = open_page("app_pages/latent_interpolation.py", model="mnist-cgan")
    at.selectbox(key="da").set_value(4).run()
    at.selectbox(key="db").set_value(9).run()
    assert not at.exception
    assert any("from 4 to 9" in c.value for c in at.caption)
    morph = strips(at)[0]
    at.number_input(key="seed").set_value(5).run()
    assert strips(at)[0] != morph  # the seed picks the style that is morphed
    at = open_page("app_pages/latent_interpolation.py")
    at.selectbox(key="target").set_value(1).run()
    assert not at.exception

    def ones():
        caption = at.get("image")[-1].proto.imgs[0].caption
        assert caption.endswith("as the digit 1."), caption
        return int(caption.split("reads ")[1].split()[0])

    still = ones()
    at.slider(key="alpha").set_value(4.0).run()
    assert ones() > still  # pushing along "more like a 1" makes more ones
    moved = strips(at)[-1]
    at.number_input(key="a").set_value(99).run()  # the start seed does not move the direction...
    assert strips(at)[-1] == moved
    at.number_input(key="dseed").set_value(3).run()  # ...its own seed re-estimates it
    assert any("direction seed 3" in c.value for c in at.main.caption) and strips(at)[-1] != moved
