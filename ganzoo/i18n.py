"""The app's words in English and French: every UI string is looked up here by key.

Keep both languages for every key; a test checks that they exist and take the same fields.
"""

LANGS = {"en": "English", "fr": "Français"}
DEFAULT_LANG = "en"

STRINGS = {
    # --- shell -------------------------------------------------------------------------
    "app.title": ("ganzoo · a GAN zoo", "ganzoo · un zoo de GAN"),
    "nav.home": ("What is a GAN?", "Qu'est-ce qu'un GAN ?"),
    "nav.toy": ("2x2 slanted faces", "Visages penchés 2x2"),
    "nav.mnist": ("MNIST sampling", "Échantillons MNIST"),
    "nav.section.learn": ("Learn", "Apprendre"),
    "nav.section.models": ("Trained models", "Modèles entraînés"),
    "sidebar.language": ("Language", "Langue"),
    "sidebar.runtime": ("Runtime", "Exécution"),
    "sidebar.device": ("Device and precision: **{policy}**", "Matériel et précision : **{policy}**"),
    "sidebar.models": ("Models in use", "Modèles utilisés"),
    "sidebar.no_models": ("No model loaded on this page yet.", "Aucun modèle chargé sur cette page."),
    "sidebar.source": ("`{name}` from `{source}`", "`{name}` depuis `{source}`"),
    "model.missing": ("The model **{name}** could not be loaded: {error}",
                      "Le modèle **{name}** n'a pas pu être chargé : {error}"),
    "seed": ("Seed", "Graine"),
    "seed.help": ("Every random draw on this page comes from this seed: the same seed gives the same result.",
                  "Chaque tirage aléatoire de cette page vient de cette graine : même graine, même résultat."),

    # --- home ------------------------------------------------------------------------
    "home.title": ("What is a GAN?", "Qu'est-ce qu'un GAN ?"),
    "home.intro": (
        "A **generative adversarial network** is two neural networks trained against each other. "
        "The **generator** is a forger: from random noise *z* it makes a sample *G(z)* meant to pass for "
        "real data. The **discriminator** is an art critic: shown a sample, it answers with the "
        "probability *D(x)* that it is real. Each one learns from the other's mistakes.",
        "Un **réseau antagoniste génératif** (GAN) est fait de deux réseaux de neurones entraînés l'un "
        "contre l'autre. Le **générateur** est un faussaire : à partir d'un bruit aléatoire *z*, il "
        "fabrique un échantillon *G(z)* censé passer pour une vraie donnée. Le **discriminateur** est un "
        "critique d'art : devant un échantillon, il répond par la probabilité *D(x)* qu'il soit réel. "
        "Chacun apprend des erreurs de l'autre."),
    "home.forger": ("The forger (generator)", "Le faussaire (générateur)"),
    "home.forger.text": (
        "Never sees a real image. It only learns through the critic's verdicts how to turn noise "
        "into something that looks real.",
        "Ne voit jamais d'image réelle. Il apprend seulement, à travers les verdicts du critique, "
        "à transformer du bruit en quelque chose qui semble réel."),
    "home.critic": ("The critic (discriminator)", "Le critique (discriminateur)"),
    "home.critic.text": (
        "Sees real images and forgeries, and is trained as an ordinary classifier: real = 1, fake = 0.",
        "Voit des images réelles et des contrefaçons, et s'entraîne comme un classifieur ordinaire : "
        "réel = 1, faux = 0."),
    "home.minimax.title": ("The game", "Le jeu"),
    "home.minimax.text": (
        "Goodfellow et al. (2014) write the contest as a minimax game over one value function: "
        "the critic maximises it, the forger minimises it.",
        "Goodfellow et al. (2014) écrivent la compétition comme un jeu minimax sur une seule fonction "
        "de valeur : le critique la maximise, le faussaire la minimise."),
    "home.losses.title": ("The losses used in practice", "Les pertes utilisées en pratique"),
    "home.losses.d": (
        "The discriminator minimises the binary cross-entropy of a real/fake classifier:",
        "Le discriminateur minimise l'entropie croisée binaire d'un classifieur réel/faux :"),
    "home.losses.g": (
        "Early in training the critic easily rejects the forgeries, D(G(z)) ≈ 0, and log(1 − D(G(z))) "
        "is flat there: the forger gets almost no gradient. So the generator minimises the "
        "**non-saturating** loss instead, which is steep exactly where the forger is bad:",
        "En début d'entraînement, le critique rejette facilement les faux, D(G(z)) ≈ 0, et "
        "log(1 − D(G(z))) y est plate : le faussaire ne reçoit presque aucun gradient. Le générateur "
        "minimise donc plutôt la perte **non saturante**, raide justement là où il est mauvais :"),
    "home.logloss.title": ("The log-loss intuition", "L'intuition de la log-loss"),
    "home.logloss.text": (
        "With label 1, a prediction of 0.1 costs −ln 0.1 = **2.3**, a prediction of 0.9 costs only "
        "−ln 0.9 = **0.1**. With label 0 the curve is mirrored: −ln(1 − p). Confident mistakes are "
        "expensive, confident right answers are almost free.",
        "Pour l'étiquette 1, une prédiction de 0,1 coûte −ln 0,1 = **2,3**, une prédiction de 0,9 ne "
        "coûte que −ln 0,9 = **0,1**. Pour l'étiquette 0, la courbe est en miroir : −ln(1 − p). Les "
        "erreurs sûres d'elles coûtent cher, les bonnes réponses sûres ne coûtent presque rien."),
    "home.logloss.p": ("prediction p", "prédiction p"),
    "home.logloss.err": ("error", "erreur"),
    "home.logloss.label1": ("label 1: −ln(p)", "étiquette 1 : −ln(p)"),
    "home.logloss.label0": ("label 0: −ln(1 − p)", "étiquette 0 : −ln(1 − p)"),
    "home.logloss.try": ("Try a prediction p", "Essayez une prédiction p"),
    "home.logloss.readout": (
        "If the image is real (label 1) the error is **{e1:.2f}**; if it is fake (label 0) it is **{e0:.2f}**.",
        "Si l'image est réelle (étiquette 1), l'erreur vaut **{e1:.2f}** ; si elle est fausse "
        "(étiquette 0), **{e0:.2f}**."),
    "home.equilibrium.title": ("Equilibrium", "L'équilibre"),
    "home.equilibrium.text": (
        "When the generator's distribution matches the data, the best critic cannot tell them apart "
        "and answers D(x) = 1/2 everywhere; the value of the game is then −log 4. In practice this "
        "equilibrium is hard to reach: the pages show what happens on the way.",
        "Quand la distribution du générateur coïncide avec celle des données, le meilleur critique ne "
        "peut plus les distinguer et répond D(x) = 1/2 partout ; le jeu vaut alors −log 4. En pratique, "
        "cet équilibre est difficile à atteindre : les pages montrent ce qui se passe en chemin."),
    "home.pages": ("Explore", "Explorer"),
    "home.pages.toy": ("The smallest GAN there is, on 2x2 images, every number visible.",
                       "Le plus petit GAN possible, sur des images 2x2, chaque nombre visible."),
    "home.pages.mnist": ("Digits from trained generators, judged by a classifier.",
                         "Des chiffres tirés de générateurs entraînés, jugés par un classifieur."),
}


def tr(key: str, lang: str = DEFAULT_LANG, **fields) -> str:
    """The text for `key` in `lang` (English if unknown), with `fields` formatted in."""
    en, fr = STRINGS[key]
    text = fr if lang == "fr" else en
    return text.format(**fields) if fields else text
