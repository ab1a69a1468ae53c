"""Home: what a GAN is, told the way the course tells it."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import course
from ui import quiz_section, t

st.title(t("home.title"))
st.markdown(t("home.intro"))

forger, critic = st.columns(2)
with forger.container(border=True):
    st.markdown(f"#### 🎨 {t('home.forger')}")
    st.markdown(t("home.forger.text"))
    st.latex(r"z \sim p_z \;\longmapsto\; G(z)")
with critic.container(border=True):
    st.markdown(f"#### 🔍 {t('home.critic')}")
    st.markdown(t("home.critic.text"))
    st.latex(r"x \;\longmapsto\; D(x) \in [0, 1]")

st.header(t("home.minimax.title"))
st.markdown(t("home.minimax.text"))
st.latex(r"\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_{\text{data}}}\big[\log D(x)\big]"
         r" + \mathbb{E}_{z \sim p_z}\big[\log\big(1 - D(G(z))\big)\big]")

st.header(t("home.losses.title"))
st.markdown(t("home.losses.d"))
st.latex(r"L_D = -\,\mathbb{E}_{x}\big[\log D(x)\big] - \mathbb{E}_{z}\big[\log\big(1 - D(G(z))\big)\big]")
st.markdown(t("home.losses.g"))
st.latex(r"L_G = -\,\mathbb{E}_{z}\big[\log D(G(z))\big]")
course.section("algorithm", expanded=True)

st.header(t("home.logloss.title"))
st.markdown(t("home.logloss.text"))
# The curves open on demand: plotly.js is a 4.7 MB script the browser parses before this page, the
# first after a cold start, has drawn (1.2-1.5 s of it here; README, "Benchmarks").
explorer = st.expander(t("home.logloss.explore"), icon="📈", key="logloss_open", on_change="rerun")
if explorer.open:
    with explorer:
        p = np.linspace(0.005, 0.995, 199)
        fig = go.Figure()
        fig.add_scatter(x=p, y=-np.log(p), name=t("home.logloss.label1"), line=dict(color="#3b6e8f", width=3))
        fig.add_scatter(x=p, y=-np.log(1 - p), name=t("home.logloss.label0"), line=dict(color="#c0663a", width=3))
        chosen = st.slider(t("home.logloss.try"), 0.01, 0.99, 0.1, 0.01, key="p")
        e1, e0 = -np.log(chosen), -np.log(1 - chosen)
        fig.add_scatter(x=[chosen, chosen], y=[e1, e0], mode="markers+text", showlegend=False,
                        text=[f"{e1:.2f}", f"{e0:.2f}"], textposition="top right",
                        marker=dict(size=11, color=["#3b6e8f", "#c0663a"]))
        fig.update_layout(xaxis_title=t("home.logloss.p"), yaxis_title=t("home.logloss.err"), height=360,
                          margin=dict(l=10, r=10, t=10, b=10), yaxis_range=[0, 5.5],
                          legend=dict(orientation="h", y=1.08, x=0))
        st.plotly_chart(fig, width="stretch")
        st.markdown(t("home.logloss.readout", e1=e1, e0=e0))
course.section("bce")

st.header(t("home.equilibrium.title"))
st.markdown(t("home.equilibrium.text"))
st.latex(r"D^*(x) = \frac{p_{\text{data}}(x)}{p_{\text{data}}(x) + p_g(x)} = \tfrac{1}{2}"
         r"\quad\text{" + t("home.formula.when") + r" } p_g = p_{\text{data}}")

course.section("kinds")
course.section("applications")

st.header(t("home.pages"))
EXPLORE = [("app_pages/toy_gan.py", "nav.toy", "home.pages.toy"),
           ("app_pages/training_lab.py", "nav.lab", "home.pages.lab"),
           ("app_pages/upsampling.py", "nav.up", "home.pages.up"),
           ("app_pages/gan_vs_vae.py", "nav.vae", "home.pages.vae"),
           ("app_pages/mnist_sampling.py", "nav.mnist", "home.pages.mnist"),
           ("app_pages/mnist_conditional.py", "nav.cond", "home.pages.cond"),
           ("app_pages/latent_interpolation.py", "nav.interp", "home.pages.interp"),
           ("app_pages/draw_digit.py", "nav.draw", "home.pages.draw"),
           ("app_pages/stylegan.py", "nav.style", "home.pages.style"),
           ("app_pages/cyclegan.py", "nav.cycle", "home.pages.cycle")]
cards = st.columns(2)  # a page link's label stays on one line: the blurb goes beneath it
for i, (path, title, blurb) in enumerate(EXPLORE):
    with cards[i % 2].container(border=True):
        st.page_link(path, label=f"**{t(title)}**")
        st.markdown(t(blurb))

quiz_section("course", "quiz.course_title")
