"""ganzoo: the entry point. Navigation, language and sidebar; each page lives in app_pages/."""

import streamlit as st

import ui

st.set_page_config(page_title="ganzoo", page_icon="🦓", layout="wide")
ui.init_language()

PAGES = {
    "nav.section.learn": [
        st.Page("app_pages/home.py", title=ui.t("nav.home"), icon="🎓", default=True),
        st.Page("app_pages/toy_gan.py", title=ui.t("nav.toy"), icon="🙂", url_path="slanted-faces"),
        st.Page("app_pages/training_lab.py", title=ui.t("nav.lab"), icon="🧪", url_path="training-lab"),
        st.Page("app_pages/upsampling.py", title=ui.t("nav.up"), icon="🔲", url_path="upsampling"),
        st.Page("app_pages/gan_vs_vae.py", title=ui.t("nav.vae"), icon="⚖️", url_path="gan-vs-vae"),
    ],
    "nav.section.models": [
        st.Page("app_pages/mnist_sampling.py", title=ui.t("nav.mnist"), icon="🔢", url_path="mnist-sampling"),
        st.Page("app_pages/mnist_conditional.py", title=ui.t("nav.cond"), icon="🎯", url_path="conditional-digits"),
        st.Page("app_pages/latent_interpolation.py", title=ui.t("nav.interp"), icon="🧭", url_path="latent-walks"),
        st.Page("app_pages/draw_digit.py", title=ui.t("nav.draw"), icon="✏️", url_path="draw-digit"),
        st.Page("app_pages/stylegan.py", title=ui.t("nav.style"), icon="🎨", url_path="stylegan"),
        st.Page("app_pages/cyclegan.py", title=ui.t("nav.cycle"), icon="🖼️", url_path="cyclegan"),
    ],
}

page = st.navigation({ui.t(section): pages for section, pages in PAGES.items()})
ui.sidebar()
page.run()
ui.sidebar_after_page()
