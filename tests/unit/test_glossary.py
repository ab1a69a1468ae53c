"""The course's French, kept: each course term is used by the keys that name its idea, words the
course does not use stay out of fr.toml, and what the app once taught loosely does not come back."""

import re

import pytest

from ganzoo.runtime.i18n import STRINGS

FR, EN = STRINGS["fr"], STRINGS["en"]

# The course's term -> the French keys that must use it (case-insensitive).
GLOSSARY = {
    "jeu à somme nulle": ["home.minimax.title", "home.minimax.text", "quiz.lab.nash.why"],
    "équilibre de Nash": ["home.equilibrium.title", "home.equilibrium.text", "toy.curves.equilibrium",
                          "lab.eq.title", "lab.eq.reached", "lab.eq.not_yet", "quiz.lab.nash.q"],
    "réseau antagoniste génératif": ["home.intro"],
    "faussaire": ["home.forger", "home.minimax.text"],
    "critique": ["home.critic", "home.minimax.text"],
    "entropie croisée binaire": ["home.losses.d", "course.bce.title", "course.dense.recipe"],
    "descente": ["course.algorithm.intro", "course.algorithm.g_step", "lab.d_steps.help"],
    "mini-lot": ["course.algorithm.intro", "course.algorithm.d_steps", "course.algorithm.g_step"],
    "réseau de mappage": ["style.intro", "style.arch.mapping", "style.trunc.read", "quiz.style.truncation.o3"],
    "normalisation adaptative d'instance (AdaIN)": ["style.intro"],
    "déconvolution": ["up.intro", "up.transposed.title", "course.dcgan.deconv", "course.dcgan.link",
                      "quiz.mnist.dcgan.why"],
    "convolution transposée": ["up.intro", "up.transposed.title", "course.dcgan.link"],
    "convolutions transposées": ["course.dcgan.rules", "course.dcgan.deconv", "quiz.mnist.dcgan.why"],
    "entièrement connectées": ["course.dcgan.intro", "course.dcgan.rules", "quiz.mnist.dcgan.o3",
                               "quiz.mnist.dcgan.why"],
    "normalisation par lot": ["course.dcgan.rules", "course.dcgan.here", "quiz.mnist.dcgan.o2"],
    "effondrement des modes": ["lab.preset.mode-collapse", "home.pages.lab", "quiz.lab.collapse.q",
                               "quiz.lab.collapse.why", "quiz.course.vae.why"],
    "remplissage": ["up.padding", "up.transposed.text", "up.padding_too_big", "up.torch_check"],
    "perte de cohérence cyclique": ["cycle.intro"],
    "cohérence cyclique": ["course.cycle.cycle_loss"],
    "perte d'identité": ["cycle.intro"],
    "GAN conditionnel": ["data.mnist.cond_intro", "data.fashion.cond_intro"],
    "Dessinez un chiffre": ["nav.draw", "draw.title", "vae.recon.text", "quiz.vae.encoder.why",
                            "quiz.course.vae.why"],
    "tirées à nouveau": ["mnist.psi.help", "quiz.mnist.truncation.o3"],
}

# Words that are not the course's (or say something else than the English), anywhere in fr.toml.
NOT_THE_COURSE = [
    "réseau de mapping", "le mapping", "du mapping", "effondrement de modes", "Dessiner un chiffre",
    "graines graine", "vrai faux", "sont retirées", "au poids de l'article",
]

# What the app once taught loosely (issue 38), in English: it must not come back.
NOT_AGAIN_EN = [
    "is flat there", "trained five times faster", "three groups, as in the paper", "covers every training image",
]


@pytest.mark.parametrize("term", list(GLOSSARY))
def test_the_course_term_is_used_where_its_idea_is_named(term):
    missing = [key for key in GLOSSARY[term] if term.lower() not in FR[key].lower()]
    assert not missing, f"{term!r} missing from {missing}"


@pytest.mark.parametrize("words", NOT_THE_COURSE)
def test_words_the_course_does_not_use_stay_out(words):
    found = [key for key, text in FR.items() if words.lower() in text.lower()]
    assert not found, f"{words!r} in {found}"


@pytest.mark.parametrize("words", NOT_AGAIN_EN)
def test_what_was_taught_loosely_does_not_come_back(words):
    assert not [key for key, text in EN.items() if words in text]


def test_the_saturating_loss_is_flat_in_the_logit_not_in_d_in_both_languages():
    for key in ("home.losses.g", "lab.story.strong-discriminator", "quiz.lab.saturating.o3",
                "quiz.lab.saturating.why"):
        assert "logit" in EN[key] and "logit" in FR[key], key
    assert "−1" in EN["home.losses.g"] and "−1" in FR["home.losses.g"]  # its slope in D at D = 0


def test_the_strong_discriminator_preset_says_both_of_its_advantages():
    from ganzoo.lessons import lab
    changes, _ = lab.PRESETS["strong-discriminator"]
    assert changes["d_lr"] == 5 * changes["g_lr"] and changes["d_steps"] == 5
    for text in (EN["lab.story.strong-discriminator"], FR["lab.story.strong-discriminator"]):
        assert "k = 5" in text and ("five times G's" in text or "cinq fois celui de G" in text)


def test_consistent_french():
    # log(1 − D(G(z))) is a loss: "plate", never "plat".
    assert not [key for key, text in FR.items() if re.search(r"\bplat\b", text)]
    # A digit inside a sentence takes its article: "comme le chiffre 7".
    assert FR["data.mnist.class"].startswith("le chiffre ")
    # The menu's "Dessinez un chiffre" is the page's title too.
    assert FR["nav.draw"] == FR["draw.title"]
    # The home page's list speaks to the visitor: no first word in the infinitive.
    infinitives = [key for key, text in FR.items() if key.startswith("home.pages.")
                   and re.fullmatch(r"\w+(er|ir|re)", text.split()[0]) and text.split()[0] not in ("Le", "Des", "Un")]
    assert not infinitives, infinitives
