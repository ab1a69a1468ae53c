"""The course's ideas that the pages show as sections, each drawn by one call (course.section("bce")).

A section is a list of blocks: its words are locale keys (course.*, in en.toml and fr.toml), its
formulas are LaTeX written here, with no words inside, so a translation touches only the locale
files. Like the ui package, this module is part of the app, not of the library: it imports streamlit.
"""

import streamlit as st

from ui import t

# Pages a section links to, by the path app.py registers them under.
TOY, LAB, UP = "app_pages/toy_gan.py", "app_pages/training_lab.py", "app_pages/upsampling.py"
SAMPLING, CONDITIONAL = "app_pages/mnist_sampling.py", "app_pages/mnist_conditional.py"
WALKS, STYLE, CYCLE = "app_pages/latent_interpolation.py", "app_pages/stylegan.py", "app_pages/cyclegan.py"

D_ASCENT = (r"\nabla_{\theta_d}\, \frac{1}{m} \sum_{i=1}^{m} \Big[\log D\big(x^{(i)}\big)"
            r" + \log\Big(1 - D\big(G(z^{(i)})\big)\Big)\Big]")
G_DESCENT = r"\nabla_{\theta_g}\, \frac{1}{m} \sum_{i=1}^{m} \log\Big(1 - D\big(G(z^{(i)})\big)\Big)"
BCE = (r"\begin{aligned} J(\theta) = -\frac{1}{m} \sum_{i=1}^{m} \Big[\, "
       r"&\underbrace{y^{(i)} \log h\big(x^{(i)}, \theta\big)}_{y^{(i)} = 1} \\"
       r" + &\underbrace{\big(1 - y^{(i)}\big) \log\Big(1 - h\big(x^{(i)}, \theta\big)\Big)}_{y^{(i)} = 0} \,\Big]"
       r" \end{aligned}")
# Written on two lines each: beside each other they fit half of a 1024-pixel page.
CYCLE_LOSS = (r"\begin{aligned} \mathcal{L}_{cyc} &= \big\lVert F(G(x)) - x \big\rVert_1 \\"
              r" &+ \big\lVert G(F(y)) - y \big\rVert_1 \end{aligned}")
IDENTITY_LOSS = (r"\begin{aligned} \mathcal{L}_{id} &= \big\lVert G(y) - y \big\rVert_1 \\"
                 r" &+ \big\lVert F(x) - x \big\rVert_1 \end{aligned}")
CYCLE_TOTAL = (r"\begin{aligned} \mathcal{L} &= \mathcal{L}_{GAN}(G, D_Y) + \mathcal{L}_{GAN}(F, D_X) \\"
               r" &+ \lambda\, \mathcal{L}_{cyc} + 0.5\, \lambda\, \mathcal{L}_{id}, \qquad \lambda = 10 \end{aligned}")

# The course's Keras discriminator, as its slide shows it (deck 002): call() skips dense_2 and dense_3.
KERAS_CALL = """def call(self, input_tensor):
    x = self.input_layer(input_tensor)
    x = self.dense_1(x)
    x = self.leaky_1(x)
    x = self.leaky_2(x)
    x = self.leaky_3(x)
    x = self.leaky_3(x)
    x = self.logits(x)
    return x"""

COURSE_EPOCHS = 300  # the course's EPOCHES = 300 for its Keras GAN

# Blocks: ("md", key) markdown; ("tex", formula); ("box", blocks) a bordered box; ("cols", [blocks, ...])
# side by side; ("link", page, label key) an st.page_link; ("code", source) Python as the course shows it.
SECTIONS = {
    "algorithm": ("course.algorithm.title", "🔁", [
        ("md", "course.algorithm.intro"),
        ("box", [("md", "course.algorithm.loop"),
                 ("box", [("md", "course.algorithm.d_steps"), ("tex", D_ASCENT)]),
                 ("box", [("md", "course.algorithm.g_step"), ("tex", G_DESCENT)])]),
        ("md", "course.algorithm.notes"),
        ("link", LAB, "course.algorithm.lab_link"),
    ]),
    "bce": ("course.bce.title", "📉", [
        ("md", "course.bce.intro"), ("tex", BCE), ("md", "course.bce.table"), ("md", "course.bce.read"),
    ]),
    "kinds": ("course.kinds.title", "🎛️", [
        ("md", "course.kinds.intro"),
        ("cols", [
            [("md", "course.kinds.uncond"), ("tex", r"G(z)"), ("md", "course.kinds.uncond.text")],
            [("md", "course.kinds.cond"), ("tex", r"G\big([\,z \,;\, y\,]\big)"), ("md", "course.kinds.cond.text")],
            [("md", "course.kinds.ctrl"), ("tex", r"G(z + \alpha\, d)"), ("md", "course.kinds.ctrl.text")],
        ]),
        # Below the columns, full width: a page link's label is one line, cut where it does not fit.
        ("link", SAMPLING, "course.kinds.uncond.link"), ("link", CONDITIONAL, "course.kinds.cond.link"),
        ("link", WALKS, "course.kinds.ctrl.link"),
    ]),
    "applications": ("course.apps.title", "🧰", [
        ("md", "course.apps.list"),
        ("link", STYLE, "nav.style"), ("link", CYCLE, "nav.cycle"),
    ]),
    "dcgan": ("course.dcgan.title", "🏗️", [
        ("md", "course.dcgan.intro"), ("md", "course.dcgan.rules"), ("md", "course.dcgan.deconv"),
        ("link", UP, "course.dcgan.link"), ("md", "course.dcgan.here"),
    ]),
    "dense": ("course.dense.title", "📜", [
        ("md", "course.dense.intro"), ("md", "course.dense.recipe"), ("md", "course.dense.slip"),
        ("code", KERAS_CALL), ("md", "course.dense.noise"),
    ]),
    "cyclegan": ("course.cycle.title", "🔁", [
        ("md", "course.cycle.objective"), ("tex", CYCLE_TOTAL), ("md", "course.cycle.styles"),
        ("md", "course.cycle.uses"), ("md", "course.cycle.blur"), ("md", "course.cycle.limit"),
    ]),
}


def blocks_keys(blocks) -> list:
    """Every locale key a list of blocks uses (the tests check each exists in every language)."""
    keys = []
    for block in blocks:
        if block[0] == "md":
            keys.append(block[1])
        elif block[0] == "link":
            keys.append(block[2])
        elif block[0] == "box":
            keys += blocks_keys(block[1])
        elif block[0] == "cols":
            for column in block[1]:
                keys += blocks_keys(column)
    return keys


def formulas_of(blocks) -> list:
    """Every formula a list of blocks shows."""
    found = []
    for block in blocks:
        if block[0] == "tex":
            found.append(block[1])
        elif block[0] == "box":
            found += formulas_of(block[1])
        elif block[0] == "cols":
            for column in block[1]:
                found += formulas_of(column)
    return found


def draw(blocks, **fields) -> None:
    for block in blocks:
        kind = block[0]
        if kind == "md":
            st.markdown(t(block[1], **fields))
        elif kind == "tex":
            st.latex(block[1])
        elif kind == "box":
            with st.container(border=True):
                draw(block[1], **fields)
        elif kind == "cols":
            for column, inner in zip(st.columns(len(block[1])), block[1]):
                with column:
                    draw(inner, **fields)
        elif kind == "link":
            st.page_link(block[1], label=t(block[2]), icon="➡️")
        elif kind == "code":
            st.code(block[1], language="python")


def section(name: str, expanded: bool = False, **fields) -> None:
    """One section of the course, in an expander (open when `expanded`); `fields` fill its texts."""
    title, icon, blocks = SECTIONS[name]
    with st.expander(t(title), expanded=expanded, icon=icon):
        draw(blocks, **fields)


def shipped_epochs(name: str) -> int | None:
    """How many epochs the shipped checkpoint `name` was trained for, from its model card."""
    from ganzoo.io import checkpoints  # torch: only the pages that load a model come here
    return checkpoints.read_card(checkpoints.embedded_folder(name)).get("training", {}).get("epochs")


def dense_gan(name: str) -> None:
    """The course's Keras GAN, shown when its rebuild is the chosen generator; says how its
    training compares with the course's 300 epochs."""
    epochs = shipped_epochs(name)
    with st.expander(t("course.dense.title"), expanded=True, icon="📜"):
        draw(SECTIONS["dense"][2])
        if epochs is not None:
            key = "course.dense.fewer_epochs" if epochs < COURSE_EPOCHS else "course.dense.course_epochs"
            st.markdown(t(key, epochs=epochs, course=COURSE_EPOCHS))


def cycle_symbols(direction: str) -> dict:
    """The course's names (deck 003) for what the CycleGAN page shows: X the paintings (domain A),
    Y the photos (domain B), G: X -> Y (G_AB) and F: Y -> X (G_BA). For the chosen direction: the
    input's letter, the generator that translates it, and the one that brings it back (which is
    also the one whose identity term the input checks)."""
    return dict(v="x", there="G", back="F") if direction == "AB" else dict(v="y", there="F", back="G")


def cycle_losses() -> None:
    """The names G and F, then the cycle loss beside the identity loss."""
    st.markdown(t("course.cycle.names"))
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown(t("course.cycle.cycle_loss"))
        st.latex(CYCLE_LOSS)
    with right.container(border=True):
        st.markdown(t("course.cycle.identity_loss"))
        st.latex(IDENTITY_LOSS)
