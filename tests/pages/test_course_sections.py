"""The course's sections (issue 38) render on their pages, in English and in French: each section's
expander, its texts and formulas, its links to the pages that show its idea; the names the course
gives (Nash equilibrium, G and F, Algorithm 1's k) where the pages show them."""

import pytest

import course
from ganzoo.runtime.i18n import tr
from tests.pages.apptest import open_page, speak_french

SECTIONS = {  # page: the course sections it draws
    "app_pages/home.py": ["algorithm", "bce", "kinds", "applications"],
    "app_pages/mnist_sampling.py": ["dcgan"],
    "app_pages/mnist_conditional.py": ["kinds"],
    "app_pages/cyclegan.py": ["cyclegan"],
}


def shown(at) -> dict:
    """What a visitor reads: every markdown text, formula, expander title and page link label."""
    return dict(markdown=[m.value for m in at.markdown], latex=[x.body for x in at.latex],
                expanders=[e.label for e in at.expander],
                links=[link.proto.label for link in at.get("page_link")])


def assert_section(at, name, lang):
    seen = shown(at)
    title, _, blocks = course.SECTIONS[name]
    assert tr(title, lang) in seen["expanders"], (name, lang)
    for key in course.blocks_keys(blocks):
        text = tr(key, lang)
        assert text in seen["markdown"] or text in seen["links"], (name, key, lang)
    for formula in course.formulas_of(blocks):
        assert any(formula.strip() in body for body in seen["latex"]), (name, formula)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", list(SECTIONS))
def test_each_course_section_renders(path, lang, monkeypatch):
    if lang == "fr":
        speak_french(monkeypatch)
    at = open_page(path, lang=lang, size_policy="crop256") if "cyclegan" in path else open_page(path, lang=lang)
    for name in SECTIONS[path]:
        assert_section(at, name, lang)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_home_page_names_the_zero_sum_game_and_the_nash_equilibrium(lang, monkeypatch):
    if lang == "fr":
        speak_french(monkeypatch)
    at = open_page("app_pages/home.py", lang=lang)
    headers = [h.value for h in at.header]
    assert tr("home.minimax.title", lang) in headers and tr("home.equilibrium.title", lang) in headers
    words = ("zero-sum game", "Nash equilibrium") if lang == "en" else ("jeu à somme nulle", "équilibre de Nash")
    text = " ".join(shown(at)["markdown"])
    assert all(word in text for word in words)
    # Algorithm 1 is a box on the home page, open, with both of its gradients; it links to the lab's k.
    assert any(r"\nabla_{\theta_d}" in body for body in shown(at)["latex"])
    assert tr("course.algorithm.lab_link", lang) in shown(at)["links"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_course_dense_gan_is_shown_when_it_is_chosen(lang, monkeypatch):
    if lang == "fr":
        speak_french(monkeypatch)
    at = open_page("app_pages/mnist_sampling.py", lang=lang)
    assert tr("course.dense.title", lang) not in shown(at)["expanders"]
    at.selectbox(key="model").set_value("mnist-dense").run()
    assert not at.exception
    seen = shown(at)
    assert tr("course.dense.title", lang) in seen["expanders"]
    for key in ("course.dense.recipe", "course.dense.slip", "course.dense.noise"):
        assert tr(key, lang) in seen["markdown"], key
    # The shipped model's card says 10 epochs, fewer than the course's 300: the page says so.
    epochs = course.shipped_epochs("mnist-dense")
    assert epochs < course.COURSE_EPOCHS
    assert tr("course.dense.fewer_epochs", lang, epochs=epochs, course=course.COURSE_EPOCHS) in seen["markdown"]
    assert [c.value for c in at.code] == [course.KERAS_CALL]  # the slide's call(), with its slip
    # The truncation's help speaks of the dense GAN's uniform noise.
    assert at.slider(key="psi").help == tr("mnist.psi.help.dense", lang)


def test_the_lab_ties_its_k_to_algorithm_1_and_names_the_nash_equilibrium(monkeypatch):
    speak_french(monkeypatch)
    at = open_page("app_pages/training_lab.py", lang="fr")
    assert at.number_input(key="d_steps").help == tr("lab.d_steps.help", "fr")
    assert any(s.value == "L'équilibre de Nash" for s in at.subheader)
    at.radio(key="quiz_lab_nash").set_value(2).run()
    assert at.success and "jeu à somme nulle" in at.success[0].value


def test_the_dcgan_question_is_explained():
    at = open_page("app_pages/mnist_sampling.py")
    at.radio(key="quiz_mnist_dcgan").set_value(1).run()
    assert at.error and "Strided convolutions instead of pooling" in at.error[0].value
    assert "transposed convolutions" in at.error[0].value


@pytest.mark.parametrize("direction,cycle,identity", [("BA", "G(F(y))", "G(y)"), ("AB", "F(G(x))", "F(x)")])
def test_the_cyclegan_page_uses_the_courses_g_and_f(direction, cycle, identity):
    from tests.pages.test_cyclegan import open_tab
    at = open_page("app_pages/cyclegan.py", size_policy="crop256", direction=direction)
    assert tr("course.cycle.names", "en") in shown(at)["markdown"]
    assert course.CYCLE_LOSS in " ".join(shown(at)["latex"]) and course.IDENTITY_LOSS in " ".join(shown(at)["latex"])
    open_tab(at, "cycle")
    assert any(m.startswith(cycle) for m in shown(at)["markdown"] + captions(at)), cycle
    open_tab(at, "identity")
    assert any(f"‖{identity[0]}({identity[2]}) − {identity[2]}‖" in m for m in shown(at)["markdown"])
    assert any(f"Should change little: {identity}" in c for c in captions(at))


def captions(at) -> list:
    """Image captions and st.caption texts."""
    images = [img.caption for element in at.get("image") for img in element.proto.imgs]
    return images + [c.value for c in at.caption]
