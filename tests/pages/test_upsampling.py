"""The upsampling page under AppTest: the course's worked example, every control, bad matrices."""

from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, TIMEOUT, open_page, speak_french

PAGE = "app_pages/upsampling.py"


def latex(at):
    return " ".join(x.body for x in at.latex)


def test_the_course_example_is_computed_cell_by_cell():
    at = open_page(PAGE)
    text = latex(at)
    assert r"\begin{bmatrix}10 & 30 & 20 \\ 35 & 82 & 47 \\ 30 & 44 & 14\end{bmatrix}" in text
    assert r"y_{1,1} = 10 \cdot 2 + 20 \cdot 2 + 15 \cdot 1 + 7 \cdot 1 = 82" in text
    assert r"\begin{bmatrix}10 & 10 & 20 & 20" in text  # nearest neighbour, x2
    assert at.get("plotly_chart")


def test_stride_padding_and_a_picked_cell_change_the_result_and_the_url():
    at = open_page(PAGE)
    at.slider(key="stride").set_value(2).run()
    # Stride 2: the four copies no longer overlap; the 4x4 output is the input's values times the filter.
    assert r"\begin{bmatrix}10 & 10 & 20 & 20 \\ 20 & 20 & 40 & 40 \\ 15 & 15 & 7 & 7 \\ 30 & 30 & 14 & 14" \
        r"\end{bmatrix}" in latex(at)
    assert at.query_params["stride"] == "2"
    at.slider(key="padding").set_value(1).run()
    assert r"= \begin{bmatrix}20 & 40 \\ 15 & 7\end{bmatrix}" in latex(at)
    at.selectbox(key="row").set_value(0).run()
    at.selectbox(key="col").set_value(1).run()
    assert r"y_{0,1} = 20 \cdot 2 = 40" in latex(at)


def test_typed_matrices_and_bad_ones():
    at = open_page(PAGE)
    at.text_input(key="x").set_value("1 2 3").run()
    at.text_input(key="k").set_value("1; -1").run()
    assert r"= \begin{bmatrix}1 & 2 & 3 \\ -1 & -2 & -3\end{bmatrix}" in latex(at)
    assert at.query_params["x"] == "1 2 3"
    at.text_input(key="x").set_value("1 2; 3").run()
    assert not at.exception and len(at.error) == 1 and "is not a matrix" in at.error[0].value
    at.text_input(key="x").set_value("5").run()
    at.slider(key="padding").set_value(2).run()  # a 2x1 output cannot lose two rows on each side
    assert len(at.error) == 1 and "would trim the whole output" in at.error[0].value


def from_url(**params):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def test_the_url_restores_the_view_and_ignores_garbage():
    at = from_url(x="3 4", stride="3")
    assert at.text_input(key="x").value == "3 4" and at.slider(key="stride").value == 3
    at = from_url(x="1 2; 3", k="nan", padding="-4")
    assert at.text_input(key="x").value == "10 20; 15 7" and at.text_input(key="k").value == "1 1; 2 2"
    assert at.slider(key="padding").value == 0 and not at.error


def test_in_french(monkeypatch):
    speak_french(monkeypatch)
    at = open_page(PAGE, lang="fr")
    assert at.title[0].value == "Sur-échantillonnage : convolution transposée et damier"
    assert "82" in latex(at)


def test_the_flat_grey_image_through_the_apps_generators_before_and_after():
    at = open_page(PAGE)
    captions = [im.caption for el in at.get("image") for im in el.proto.imgs]
    before = next(c for c in captions if c.startswith("Before: transposed convolutions. Phase spread"))
    after = next(c for c in captions if c.startswith("After: resize, then convolve. Phase spread"))
    spread = lambda caption: float(caption.split("Phase spread ")[1].split()[0])  # noqa: E731
    assert spread(before) > 0.05 and spread(after) <= 0.01
