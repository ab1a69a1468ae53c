"""The 2x2 lesson's step replay and equilibrium reading (ganzoo.lessons.toy), and its numbers
written out for the page (ganzoo.lessons.toy_text), in both languages."""

import numpy as np
import pytest

from ganzoo.lessons import toy, toy_text


@pytest.mark.parametrize("loss", toy.LOSSES)
def test_replaying_k_steps_is_step_k_of_training(loss):
    gan, record = toy.replay(toy.FACES, 0.1, 3, loss, 0)
    assert record is None and gan.as_dict() == toy.ToyGAN.init([3]).as_dict()
    gan, record = toy.replay(toy.FACES, 0.1, 3, loss, 8)  # two epochs of the four faces
    trained = toy.train(toy.FACES, epochs=2, lr=0.1, seed=3, loss=loss, snapshots=1).final
    for a, b in zip((gan.w, gan.b, gan.v, gan.c), (trained.w, trained.b, trained.v, trained.c)):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    assert record.after == gan.as_dict() and record.real == toy.FACES[3] and record.max_difference < 1e-12


def test_near_equilibrium_reads_d_on_faces_and_on_g_images():
    history = toy.train(toy.FACES, epochs=5, lr=0.01, seed=0, snapshots=1)
    history.d_on_real[-1, 0], history.d_on_fake[-1, 0] = 0.55, 0.46
    assert toy.near_equilibrium(history)
    history.d_on_fake[-1, 0] = 0.35  # D still tells G's images apart
    assert not toy.near_equilibrium(history)


def test_the_hand_score_is_written_out_term_by_term_in_the_visitors_language():
    assert toy_text.score_latex(toy.FACES[0], "en") == r"1 - 0 - 0 + 1 = 2 > 1 \Rightarrow \text{face}"
    assert toy_text.score_latex([1, 1, 0, 1], "en").startswith(r"1 - 1 - 0 + 1 = 1 \le 1")
    french = toy_text.score_latex(toy.FACES[0], "fr")
    assert french.startswith("1 - 0 - 0 + 1 = 2 > 1") and r"\text{face}" not in french
    rows = toy_text.hand_rows("en")
    assert len(rows) == 8 and [r["score"] for r in rows[:2]] == [2.0, 1.5]
    assert [r["verdict"] for r in rows].count("face") == 4


def test_the_course_formulas_carry_the_visitors_words():
    english = " ".join(toy_text.rule_latex("en") + toy_text.model_latex("en") + toy_text.gradient_latex("en"))
    french = " ".join(toy_text.rule_latex("fr") + toy_text.model_latex("fr") + toy_text.gradient_latex("fr"))
    for word in (r"\text{face}", r"\text{real", r"\text{fake"):  # "score" is French too
        assert word in english and word not in french, word


def test_a_steps_gradients_and_weights_as_the_inspector_shows_them():
    _, record = toy.replay(toy.FACES, 0.1, 3, "non-saturating", 1)
    d_real, d_fake, g = toy_text.step_latex(record, "non-saturating")
    assert f"-(1 - {record.d_real:.4f})" in d_real and toy_text.vector_latex(record.grads["w_real"]) in d_real
    assert f"{record.d_fake:.4f}" in d_fake and f"{record.grads['b_fake']:.4f}" in d_fake
    assert f"({-(1 - record.d_gen):.4f})" in g and f"{record.z:.4f}" in g
    assert f"({-record.d_gen:.4f})" in toy_text.step_latex(record, "saturating")[2]
    rows = toy_text.weights_rows(record.before, record.after, "en")
    assert [r["parameter"] for r in rows][:6] == ["D: w1", "D: w2", "D: w3", "D: w4", "D: b", "G: v1"]
    assert all(r["Δ"] == pytest.approx(r["after"] - r["before"]) for r in rows) and len(rows) == 13
    assert "after" not in toy_text.weights_rows(record.before, None, "en")[0]
