"""The course's sections (course.py): every word they show is a locale key of every language, their
formulas hold no words, and the CycleGAN page's G and F are the course's, whatever the direction."""

import re

import pytest

import course
from ganzoo.lessons import quiz
from ganzoo.runtime.i18n import LANGS, STRINGS


@pytest.mark.parametrize("lang", list(LANGS))
@pytest.mark.parametrize("name", list(course.SECTIONS))
def test_every_section_is_written_in_every_language(name, lang):
    title, _, blocks = course.SECTIONS[name]
    keys = [title] + course.blocks_keys(blocks)
    assert len(keys) >= 3
    assert not [key for key in keys if not STRINGS[lang].get(key)], name


def test_the_dense_gans_extra_keys_and_the_cycle_names_exist_everywhere():
    keys = ["course.dense.fewer_epochs", "course.dense.course_epochs", "course.cycle.names",
            "course.cycle.cycle_loss", "course.cycle.identity_loss", "mnist.psi.help.dense", "lab.d_steps.help"]
    for lang in LANGS:
        assert all(STRINGS[lang].get(key) for key in keys), lang


@pytest.mark.parametrize("name", list(course.SECTIONS))
def test_formulas_hold_no_words_to_translate(name):
    for formula in course.formulas_of(course.SECTIONS[name][2]):
        assert r"\text" not in formula
        # Letters outside LaTeX commands and subscript labels (L_cyc, L_GAN) come one at a time: variables.
        bare = re.sub(r"\\(?:begin|end)\{\w+\}|\\[A-Za-z]+|_\{[^}]*\}", " ", formula)
        assert not re.search(r"[A-Za-z]{3,}", bare), formula


def test_cycle_names_follow_the_models_directions_and_the_identity_loss():
    # ganzoo.models.cyclegan: A is the paintings (monet2photo's trainA), B the photos; "AB" is G_AB.
    assert STRINGS["en"]["cycle.direction.AB"] == "painting → photo"
    painting = course.cycle_symbols("AB")  # x is a painting; G makes the photo, F brings it back
    photo = course.cycle_symbols("BA")  # y is a photo; F makes the painting, G brings it back
    assert painting == {"v": "x", "there": "G", "back": "F"} and photo == {"v": "y", "there": "F", "back": "G"}
    # The identity tab feeds the input to the other generator: ||F(x) - x|| and ||G(y) - y||, the two terms.
    for names in (painting, photo):
        term = "{back}({v}) - {v}".format(**names)
        assert term in course.IDENTITY_LOSS
        assert "{back}({there}({v})) - {v}".format(**names) in course.CYCLE_LOSS


def test_cycle_texts_use_the_names_they_are_given():
    for lang in LANGS:
        for key in ("cycle.cycle.text", "cycle.reconstruction", "cycle.identity.caption", "cycle.identity.text"):
            text = STRINGS[lang][key].format(l1=0.1, **course.cycle_symbols("BA"))
            assert "G(" in text and "y" in text and "G_" not in text, (lang, key)


def test_the_quizzes_ask_about_the_nash_equilibrium_and_dcgans_rules():
    assert quiz.ANSWERS["lab"]["nash"] == 2 and quiz.ANSWERS["mnist"]["dcgan"] == 2
    for lang in LANGS:
        right = STRINGS[lang]["quiz.lab.nash.o2"]
        assert "1/2" in right and "1/2" in STRINGS[lang]["quiz.lab.nash.why"]
        assert "−log 4" in STRINGS[lang]["quiz.lab.nash.why"]
        assert "LeakyReLU" in STRINGS[lang]["quiz.mnist.dcgan.o2"] and "tanh" in STRINGS[lang]["quiz.mnist.dcgan.o2"]
