"""The 2x2 lesson's numbers written out for its page, in the visitor's language: the hand-built
discriminator's score as LaTeX, one inspected step's gradients as LaTeX, and the tables."""

import numpy as np

from ganzoo.lessons import toy
from ganzoo.runtime.i18n import tr


def vector_latex(values) -> str:
    return r"\begin{pmatrix}" + r" & ".join(f"{v:.4f}" for v in values) + r"\end{pmatrix}"


def score_latex(x, lang: str) -> str:
    """The hand discriminator's sum on image x, term by term, and its verdict."""
    terms = " ".join(f"{'+' if wt > 0 else '-'} {v:g}" for v, wt in zip(x, toy.HAND_WEIGHTS)).lstrip("+ ")
    score = float(toy.hand_score(x))
    verdict = r"> 1 \Rightarrow \text{" + tr("toy.verdict.face", lang) + "}" if score > toy.HAND_THRESHOLD \
        else r"\le 1 \Rightarrow \text{" + tr("toy.verdict.noise", lang) + "}"
    return f"{terms} = {score:g} {verdict}"


def hand_rows(lang: str) -> list[dict]:
    """The course's four faces and four noise images, each with its hand score and verdict."""
    rows = []
    for kind, images in ((tr("toy.face_word", lang), toy.FACES), (tr("toy.noise_word", lang), toy.NOISE)):
        for i, img in enumerate(images):
            s = float(toy.hand_score(img))
            verdict = tr("toy.verdict.face" if s > toy.HAND_THRESHOLD else "toy.verdict.noise", lang)
            rows.append({tr("toy.col.image", lang): f"{kind} {i + 1}", tr("toy.col.pixels", lang): str(img),
                         tr("toy.col.score", lang): s, tr("toy.col.verdict", lang): verdict})
    return rows


def weights_rows(before: dict, after: dict | None, lang: str) -> list[dict]:
    """D's and G's weights (ToyGAN.as_dict()), one row each; with `after`, the value after a step and the change."""
    rows = []
    for key, label in (("D_weights", "D: w"), ("D_bias", "D: b"), ("G_weights", "G: v"), ("G_biases", "G: c")):
        b = np.atleast_1d(before[key])
        a = np.atleast_1d(after[key]) if after else None
        for i in range(len(b)):
            row = {tr("toy.col.param", lang): f"{label}{i + 1 if len(b) > 1 else ''}",
                   tr("toy.col.before", lang): float(b[i])}
            if after:
                row[tr("toy.col.after", lang)] = float(a[i])
                row["Δ"] = float(a[i] - b[i])
            rows.append(row)
    return rows


def step_latex(record: toy.StepRecord, loss: str) -> tuple[str, str, str]:
    """One inspected step's gradients with its numbers in: D on the real face, D on the fake, G."""
    d_real = (r"\frac{\partial E}{\partial w} = -(1 - " + f"{record.d_real:.4f}" + r")\,x = "
              + vector_latex(record.grads["w_real"]) + r"\qquad \frac{\partial E}{\partial b} = "
              + f"{record.grads['b_real']:.4f}")
    d_fake = (r"\frac{\partial E}{\partial w} = " + f"{record.d_fake:.4f}" + r"\,G(z) = "
              + vector_latex(record.grads["w_fake"]) + r"\qquad \frac{\partial E}{\partial b} = "
              + f"{record.grads['b_fake']:.4f}")
    k_factor = -(1 - record.d_gen) if loss == "non-saturating" else -record.d_gen
    g = (r"\frac{\partial E}{\partial v_i} = " + f"({k_factor:.4f})" + r"\,w_i\,G_i(1 - G_i)\cdot "
         + f"{record.z:.4f} = " + vector_latex(record.grads["v"]) + r"\qquad \frac{\partial E}{\partial c} = "
         + vector_latex(record.grads["c"]))
    return d_real, d_fake, g


# --- The course's formulas, with their words in the visitor's language ---

def rule_latex(lang: str) -> tuple[str, str]:
    """The hand discriminator: its score, then its verdict. Two lines: on one, the French words push
    the rule past the page's width at 1024 px."""
    score, face = tr("toy.formula.score", lang), tr("toy.verdict.face", lang)
    return (r"\text{" + score + r"}(x) = (+1)\,x_{\nwarrow} + (-1)\,x_{\nearrow} + (-1)\,x_{\swarrow} "
            r"+ (+1)\,x_{\searrow}", r"\text{" + face + r"} \iff \text{" + score + "} > 1")


def model_latex(lang: str) -> tuple[str, str]:
    """D and G, then their errors. Long formulas break into lines (gathered) so they fit a narrow page."""
    real, fake = tr("toy.formula.real", lang), tr("toy.formula.fake", lang)
    return (r"D(x) = \sigma\Big(\sum_{i=1}^4 w_i x_i + b\Big) \qquad "
            r"G(z) = \big(\sigma(v_i z + c_i)\big)_{i=1..4},\; z \sim U[0,1]",
            r"\begin{gathered}E_{\text{" + real + r"}} = -\ln D(x) \qquad E_{\text{" + fake + r"}} = "
            r"-\ln\big(1 - D(G(z))\big) \\ E_G = -\ln D(G(z)) \;\text{" + tr("toy.or", lang)
            + r"}\; \ln\big(1 - D(G(z))\big)\end{gathered}")


def gradient_latex(lang: str) -> tuple[str, str, str]:
    """The hand-derived gradients: D on a real image, D on a fake, G."""
    real, fake = tr("toy.formula.real", lang), tr("toy.formula.fake", lang)
    return (r"\text{" + real + r": } \frac{\partial E}{\partial w_i} = -(1 - D(x))\,x_i \qquad "
            r"\frac{\partial E}{\partial b} = -(1 - D(x))",
            r"\text{" + fake + r": } \frac{\partial E}{\partial w_i} = D(x)\,x_i \qquad "
            r"\frac{\partial E}{\partial b} = D(x)",
            r"\begin{gathered}G: \frac{\partial E}{\partial v_i} = -(1 - D(G(z)))\,w_i\,G_i(1 - G_i)\,z \\ "
            r"\frac{\partial E}{\partial c_i} = -(1 - D(G(z)))\,w_i\,G_i(1 - G_i)\end{gathered}")


SATURATING_GRADIENT_LATEX = r"\frac{\partial}{\partial v_i} \ln\big(1 - D(G(z))\big) = -D(G(z))\,w_i\,G_i(1 - G_i)\,z"
