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

    # --- 2x2 slanted faces ----------------------------------------------------------------
    "toy.title": ("The 2x2 slanted-faces GAN", "Le GAN des visages penchés 2x2"),
    "toy.intro": (
        "The smallest GAN there is. Images are 2x2 pixels of grey; a **face** is a person leaning at "
        "45°: top-left and bottom-right dark, the other two light. Everything below is small enough "
        "to see every number.",
        "Le plus petit GAN possible. Les images font 2x2 pixels de gris ; un **visage** est un "
        "personnage penché à 45° : en haut à gauche et en bas à droite foncés, les deux autres clairs. "
        "Tout ce qui suit est assez petit pour voir chaque nombre."),
    "toy.data": ("The data", "Les données"),
    "toy.data.caption": ("1 = dark, 0 = white. Top row: the four faces; bottom row: four noise images.",
                         "1 = foncé, 0 = blanc. En haut : les quatre visages ; en bas : quatre bruits."),
    "toy.face": ("face {i}", "visage {i}"),
    "toy.noise": ("noise {i}", "bruit {i}"),
    "toy.face_word": ("Face", "Visage"),
    "toy.noise_word": ("Noise", "Bruit"),
    "toy.part1": ("Part 1: a discriminator built by hand", "Partie 1 : un discriminateur construit à la main"),
    "toy.part1.text": (
        "A face has a dark diagonal. So weigh the diagonal pixels by +1, the other two by −1, add them "
        "up, and call the image a face when the score exceeds the threshold 1.",
        "Un visage a une diagonale foncée. On pondère donc les pixels de la diagonale par +1, les deux "
        "autres par −1, on additionne, et l'image est un visage quand le score dépasse le seuil 1."),
    "toy.col.image": ("image", "image"),
    "toy.col.pixels": ("pixels (↖ ↗ ↙ ↘)", "pixels (↖ ↗ ↙ ↘)"),
    "toy.col.score": ("score", "score"),
    "toy.col.verdict": ("verdict", "verdict"),
    "toy.col.param": ("parameter", "paramètre"),
    "toy.col.before": ("before", "avant"),
    "toy.col.after": ("after", "après"),
    "toy.verdict.face": ("face", "visage"),
    "toy.verdict.noise": ("not a face", "pas un visage"),
    "toy.examples": ("The course's two worked examples, the first face and the second noise image:",
                     "Les deux exemples du cours, le premier visage et le deuxième bruit :"),
    "toy.custom": ("Your own image, scored live", "Votre image, notée en direct"),
    "toy.px.tl": ("top-left ↖", "haut gauche ↖"),
    "toy.px.tr": ("top-right ↗", "haut droite ↗"),
    "toy.px.bl": ("bottom-left ↙", "bas gauche ↙"),
    "toy.px.br": ("bottom-right ↘", "bas droite ↘"),
    "toy.your_image": ("your image", "votre image"),
    "toy.part2": ("Part 2: a GAN that learns", "Partie 2 : un GAN qui apprend"),
    "toy.part2.text": (
        "Now the weights are learned. The discriminator is one neuron on the four pixels; the generator "
        "turns one number z into four pixels. Each step updates D on a real face, then D on a fake, then "
        "G against the updated D, with plain gradient descent and gradients derived by hand.",
        "Les poids sont maintenant appris. Le discriminateur est un neurone sur les quatre pixels ; le "
        "générateur transforme un nombre z en quatre pixels. Chaque pas met à jour D sur un vrai visage, "
        "puis D sur un faux, puis G face au D mis à jour, par descente de gradient simple et avec des "
        "gradients calculés à la main."),
    "toy.or": ("or", "ou"),
    "toy.gradients": ("The gradients, derived by hand", "Les gradients, calculés à la main"),
    "toy.slide_fix": (
        "The course's slide writes the generator's gradient without the factor w_i. The chain rule "
        "through D(G) = σ(Σ w_j G_j + b) brings it in: ∂D/∂G_i = D(1 − D) w_i. The formulas above "
        "include it, and the page checks them against torch.autograd at every inspected step.",
        "La diapositive du cours écrit le gradient du générateur sans le facteur w_i. La dérivation en "
        "chaîne à travers D(G) = σ(Σ w_j G_j + b) l'introduit : ∂D/∂G_i = D(1 − D) w_i. Les formules "
        "ci-dessus l'incluent, et la page les vérifie avec torch.autograd à chaque pas inspecté."),
    "toy.saturating_grad": (
        "With the original **saturating** loss the generator minimises ln(1 − D(G(z))) instead; its "
        "factor is −D(G(z)), close to 0 while D easily rejects the fakes: the gradient vanishes early on.",
        "Avec la perte **saturante** d'origine, le générateur minimise ln(1 − D(G(z))) ; son facteur est "
        "−D(G(z)), proche de 0 tant que D rejette facilement les faux : le gradient s'évanouit au début."),
    "toy.reference": ("Reference mode: the published numpy run", "Mode référence : l'exécution numpy publiée"),
    "toy.reference.help": (
        "Reproduces the 'GANs in slanted land' notebook exactly: five faces, numpy seed 42, "
        "learning rate 0.01, 1000 epochs, non-saturating loss, float64.",
        "Reproduit exactement le notebook « GANs in slanted land » : cinq visages, graine numpy 42, "
        "taux d'apprentissage 0,01, 1000 époques, perte non saturante, float64."),
    "toy.lr": ("Learning rate", "Taux d'apprentissage"),
    "toy.epochs": ("Epochs", "Époques"),
    "toy.loss": ("Generator loss", "Perte du générateur"),
    "toy.loss.non-saturating": ("non-saturating −ln D(G(z))", "non saturante −ln D(G(z))"),
    "toy.loss.saturating": ("saturating ln(1 − D(G(z)))", "saturante ln(1 − D(G(z)))"),
    "toy.dataset": ("Faces", "Visages"),
    "toy.dataset.course": ("the course's 4 faces", "les 4 visages du cours"),
    "toy.dataset.reference": ("the notebook's 5 faces", "les 5 visages du notebook"),
    "toy.tab.inspect": ("Step inspector", "Inspecteur de pas"),
    "toy.tab.train": ("Training", "Entraînement"),
    "toy.tab.sweep": ("Seed sweep", "Balayage de graines"),
    "toy.inspect.text": (
        "One click, one SGD step, every number shown. Step k here is exactly step k of the training run "
        "with the same settings.",
        "Un clic, un pas de SGD, chaque nombre affiché. Le pas k ici est exactement le pas k de "
        "l'entraînement avec les mêmes réglages."),
    "toy.inspect.step": ("One SGD step", "Un pas de SGD"),
    "toy.inspect.reset": ("Reset", "Réinitialiser"),
    "toy.inspect.none": ("No step taken yet: these are the initial weights drawn from the seed.",
                         "Aucun pas effectué : voici les poids initiaux tirés de la graine."),
    "toy.inspect.step_n": ("Step **{k}**: real image = face {face}, z = **{z:.4f}**.",
                           "Pas **{k}** : image réelle = visage {face}, z = **{z:.4f}**."),
    "toy.inspect.real": ("real image x", "image réelle x"),
    "toy.inspect.fake": ("fake G(z)", "faux G(z)"),
    "toy.inspect.d_real": ("1. D on the real image:", "1. D sur l'image réelle :"),
    "toy.inspect.d_fake": ("2. D on the fake (after update 1):", "2. D sur le faux (après la mise à jour 1) :"),
    "toy.inspect.g": ("3. G with the same z, against the updated D:",
                      "3. G avec le même z, face au D mis à jour :"),
    "toy.inspect.autograd": ("Largest |hand − autograd| difference over all gradients of this step: {diff:.2e}",
                             "Plus grand écart |main − autograd| sur tous les gradients de ce pas : {diff:.2e}"),
    "toy.inspect.weights": ("Weights before and after the step:", "Poids avant et après le pas :"),
    "toy.err.d": ("discriminator error", "erreur du discriminateur"),
    "toy.err.g": ("generator error", "erreur du générateur"),
    "toy.training": ("Training...", "Entraînement..."),
    "toy.axis.step": ("step", "pas"),
    "toy.axis.epoch": ("epoch", "époque"),
    "toy.axis.error": ("error", "erreur"),
    "toy.curves.errors": ("Errors per step (D: on the real face plus on the actual fake G(z))",
                          "Erreurs par pas (D : sur le vrai visage plus sur le vrai faux G(z))"),
    "toy.curves.d": ("D's mean output", "Sortie moyenne de D"),
    "toy.curves.d_real": ("on the faces", "sur les visages"),
    "toy.curves.d_fake": ("on G's images", "sur les images de G"),
    "toy.snapshots": ("What G draws during training", "Ce que G dessine pendant l'entraînement"),
    "toy.snapshot.epoch": ("After epoch", "Après l'époque"),
    "toy.snapshot.scores": ("Hand-built discriminator's scores of these images: {scores} (a face scores above 1).",
                            "Scores de ces images par le discriminateur fait main : {scores} (un visage dépasse 1)."),
    "toy.faces_ok": ("The trained generator draws a face for every z in [0, 1].",
                     "Le générateur entraîné dessine un visage pour tout z dans [0, 1]."),
    "toy.faces_not": ("The trained generator does not draw a face for every z yet.",
                      "Le générateur entraîné ne dessine pas encore un visage pour tout z."),
    "toy.final": ("Final weights", "Poids finaux"),
    "toy.sweep.text": (
        "Many independent GANs with the settings above, seeds seed, seed + 1, ..., trained at once "
        "(vectorised over runs). A run counts as drawing faces when the hand-built discriminator "
        "of part 1 accepts G(z) for every z in [0, 1].",
        "Plusieurs GAN indépendants avec les réglages ci-dessus, graines graine, graine + 1, ..., "
        "entraînés ensemble (vectorisés). Une exécution dessine des visages quand le discriminateur fait "
        "main de la partie 1 accepte G(z) pour tout z dans [0, 1]."),
    "toy.sweep.runs": ("Number of runs", "Nombre d'exécutions"),
    "toy.sweep.count": ("Runs that draw faces", "Exécutions qui dessinent des visages"),
    "toy.sweep.final_error": ("mean error over the last epoch", "erreur moyenne sur la dernière époque"),
    "toy.sweep.spread": ("Final errors of seeds {seed} to {last}", "Erreurs finales des graines {seed} à {last}"),

    # --- MNIST sampling -----------------------------------------------------------------
    "model.mnist-dcgan": ("DCGAN", "DCGAN"),
    "model.mnist-dense": ("the course's dense GAN", "le GAN dense du cours"),
    "model.mnist-cgan": ("conditional DCGAN", "DCGAN conditionnel"),
    "model.huggan-dcgan-mnist": ("HugGAN DCGAN from the Hub (64x64)", "DCGAN HugGAN du Hub (64x64)"),
    "download.png": ("Download PNG", "Télécharger en PNG"),
    "mnist.title": ("MNIST sampling", "Échantillons MNIST"),
    "mnist.intro": (
        "Handwritten digits drawn by generators trained on MNIST, each from its own noise vector z. "
        "A classifier trained apart reads every digit, and the discriminator says how real it finds each one.",
        "Des chiffres manuscrits dessinés par des générateurs entraînés sur MNIST, chacun à partir de son "
        "propre vecteur de bruit z. Un classifieur entraîné à part lit chaque chiffre, et le discriminateur "
        "dit à quel point il trouve chacun réel."),
    "mnist.model": ("Generator", "Générateur"),
    "mnist.hub_repo": ("Or a Hub repo with the same architecture", "Ou un dépôt du Hub de même architecture"),
    "mnist.n": ("Images", "Images"),
    "mnist.psi": ("Truncation ψ (0 = off)", "Troncature ψ (0 = aucune)"),
    "mnist.psi.help": (
        "Noise values farther than ψ from 0 are drawn again: smaller ψ gives cleaner but less varied digits.",
        "Les valeurs du bruit plus loin que ψ de 0 sont retirées : un ψ petit donne des chiffres plus nets "
        "mais moins variés."),
    "mnist.new_batch": ("New batch (next seed)", "Nouveau lot (graine suivante)"),
    "mnist.caption": ("{n} samples, seed {seed}", "{n} échantillons, graine {seed}"),
    "mnist.histogram": ("What the classifier reads", "Ce que lit le classifieur"),
    "mnist.digit": ("digit", "chiffre"),
    "mnist.count": ("images", "images"),
    "mnist.collapsed": (
        "Only {covered} of the 10 digits appear in this batch: the generator may have collapsed onto a few modes.",
        "Seuls {covered} des 10 chiffres apparaissent dans ce lot : le générateur s'est peut-être effondré "
        "sur quelques modes."),
    "mnist.covered": ("{covered} of the 10 digits appear in this batch.",
                      "{covered} des 10 chiffres apparaissent dans ce lot."),
    "mnist.show_d": ("Show the discriminator's score of each image", "Afficher le score du discriminateur pour chaque image"),
    "mnist.d_scores": ("D(x), laid out like the grid (mean {mean:.2f})", "D(x), disposé comme la grille (moyenne {mean:.2f})"),
    "mnist.before": ("Before training: the same noise through an untrained generator",
                     "Avant l'entraînement : le même bruit dans un générateur non entraîné"),
    "mnist.before.text": (
        "A generator with random weights turns the same z into grey static: everything it draws above "
        "was learned from the discriminator's verdicts.",
        "Un générateur aux poids aléatoires transforme le même z en neige grise : tout ce qu'il dessine "
        "plus haut a été appris des verdicts du discriminateur."),

    # --- conditional -------------------------------------------------------------------
    "nav.cond": ("Conditional digits", "Chiffres conditionnels"),
    "home.pages.cond": ("Ask for a digit, or write a whole number.", "Demandez un chiffre, ou écrivez un nombre entier."),
    "cond.title": ("Conditional digit picking", "Choisir son chiffre"),
    "cond.intro": (
        "A conditional GAN receives the digit it should draw next to its noise, and its discriminator "
        "judges each image together with the digit it claims to be. So you choose what it draws; the "
        "noise only chooses the handwriting.",
        "Un GAN conditionnel reçoit le chiffre à dessiner en plus de son bruit, et son discriminateur "
        "juge chaque image avec le chiffre qu'elle prétend être. Vous choisissez donc ce qu'il dessine ; "
        "le bruit ne choisit que l'écriture."),
    "cond.digit": ("Digit", "Chiffre"),
    "cond.n": ("Samples", "Échantillons"),
    "cond.caption": ("{n} samples of the digit {digit}; the classifier reads {agree} of them as {digit}.",
                     "{n} échantillons du chiffre {digit} ; le classifieur en lit {agree} comme des {digit}."),
    "cond.all": ("Every digit with the same noise", "Tous les chiffres avec le même bruit"),
    "cond.all.caption": ("Row k asks for the digit k; each column keeps one noise vector, so one handwriting.",
                         "La ligne k demande le chiffre k ; chaque colonne garde un même bruit, donc une même écriture."),
    "cond.number": ("Write a number", "Écrire un nombre"),
    "cond.number.input": ("Digits to write", "Chiffres à écrire"),
    "cond.number.only_digits": ("Only the digits 0-9 are written; other characters are left out.",
                                "Seuls les chiffres 0 à 9 sont écrits ; les autres caractères sont ignorés."),
    "cond.number.caption": ("Each digit generated on demand, side by side.", "Chaque chiffre généré à la demande, côte à côte."),
    "cond.number.agree": ("The classifier reads {read}: {agree} of {n} digits agree.",
                          "Le classifieur lit {read} : {agree} chiffres sur {n} concordent."),

    # --- interpolation -----------------------------------------------------------------
    "nav.interp": ("Latent walks", "Promenades latentes"),
    "home.pages.interp": ("Morph between digits and steer the generator with g(z + d).",
                          "Passer d'un chiffre à l'autre et piloter le générateur avec g(z + d)."),
    "interp.title": ("Latent interpolation and control", "Interpolation latente et contrôle"),
    "interp.intro": (
        "Every image comes from a point z of the latent space. Walking from one point to another gives "
        "a morph between two digits; a GAN that learned a smooth space changes its drawing gradually.",
        "Chaque image vient d'un point z de l'espace latent. Marcher d'un point à un autre donne une "
        "transformation d'un chiffre en un autre ; un GAN qui a appris un espace régulier change son "
        "dessin progressivement."),
    "interp.steps": ("Steps", "Étapes"),
    "interp.seed_a": ("Start: seed", "Départ : graine"),
    "interp.seed_b": ("End: seed", "Arrivée : graine"),
    "interp.digit_a": ("From digit", "Du chiffre"),
    "interp.digit_b": ("To digit", "Au chiffre"),
    "interp.linear": ("Linear interpolation", "Interpolation linéaire"),
    "interp.spherical": ("Spherical interpolation (slerp)", "Interpolation sphérique (slerp)"),
    "interp.morph": ("Class morph: the label input slides from one digit to the other",
                     "Morphose de classe : l'entrée d'étiquette glisse d'un chiffre à l'autre"),
    "interp.morph.caption": ("Same noise throughout; only the label moves from {a} to {b}.",
                             "Même bruit du début à la fin ; seule l'étiquette passe de {a} à {b}."),
    "interp.why_slerp": (
        "High-dimensional noise lies near a sphere. The straight line cuts through its inside, where "
        "codes are shorter than any the generator trained on; slerp stays on the sphere.",
        "Un bruit en grande dimension se trouve près d'une sphère. La ligne droite passe à l'intérieur, "
        "où les codes sont plus courts que tous ceux vus à l'entraînement ; slerp reste sur la sphère."),
    "interp.frame": ("frame", "image"),
    "interp.animation": ("Play or drag through the frames; side by side: {rows}.",
                         "Lancez ou faites glisser les images ; côte à côte : {rows}."),
    "interp.gif": ("Download GIF", "Télécharger le GIF"),
    "ctrl.title": ("Controllable generation", "Génération contrôlable"),
    "ctrl.intro": (
        "As in the course's z-space slide: find a direction d in the latent space and move along it. "
        "Here d is the difference between the mean codes of samples the classifier reads as one digit "
        "and of all the others; α sets how far to go.",
        "Comme sur la diapositive de l'espace z du cours : trouver une direction d dans l'espace latent "
        "et s'y déplacer. Ici d est la différence entre le code moyen des échantillons que le "
        "classifieur lit comme un chiffre et celui de tous les autres ; α règle la distance parcourue."),
    "ctrl.conditional": ("The conditional model is steered by its label input above; pick the DCGAN or the dense GAN here.",
                         "Le modèle conditionnel se pilote par son étiquette, plus haut ; choisissez ici le DCGAN ou le GAN dense."),
    "ctrl.kind": ("Direction", "Direction"),
    "ctrl.kind.digit": ("more like a digit", "plus comme un chiffre"),
    "ctrl.kind.random": ("random", "aléatoire"),
    "ctrl.target": ("Digit", "Chiffre"),
    "ctrl.alpha": ("Strength α", "Intensité α"),
    "ctrl.caption": ("α = {alpha:+.2f}: the classifier reads {count} of these 10 as {target}.",
                     "α = {alpha:+.2f} : le classifieur en lit {count} sur 10 comme des {target}."),
    "ctrl.how": ("Direction estimated from 2,048 samples of direction seed {seed}; the 10 codes come from seed {samples_seed} (the end seed); |d| = {norm:.2f}.",
                 "Direction estimée sur 2 048 échantillons de la graine de direction {seed} ; les 10 codes viennent de la graine {samples_seed} (graine d'arrivée) ; |d| = {norm:.2f}."),
    "ctrl.dseed": ("Direction seed", "Graine de direction"),
    "ctrl.dseed.help": ("The 2,048 samples the direction is estimated from (or the random direction). A new seed re-estimates it, which takes about a second.",
                        "Les 2 048 échantillons d'où la direction est estimée (ou la direction aléatoire). Une nouvelle graine la ré-estime, ce qui prend environ une seconde."),
    "ctrl.no_direction": ("Too few of the 2,048 samples read as {target} to estimate a direction; try another digit or direction seed.",
                          "Trop peu des 2 048 échantillons sont lus comme des {target} pour estimer une direction ; essayez un autre chiffre ou une autre graine de direction."),

    # --- CycleGAN ----------------------------------------------------------------------
    "nav.cycle": ("Photo ↔ painting (CycleGAN)", "Photo ↔ peinture (CycleGAN)"),
    "home.pages.cycle": ("Turn a photo into a Monet and back, with two generators and a cycle.",
                         "Transformer une photo en Monet et retour, avec deux générateurs et un cycle."),
    "model.cyclegan-monet-compact": ("Monet, compact model (trained by ganzoo)", "Monet, modèle compact (entraîné par ganzoo)"),
    "model.cyclegan-official-monet": ("Monet, official CycleGAN (Hub)", "Monet, CycleGAN officiel (Hub)"),
    "model.cyclegan-official-vangogh": ("Van Gogh, official CycleGAN (Hub)", "Van Gogh, CycleGAN officiel (Hub)"),
    "cycle.title": ("Photo ↔ painting with CycleGAN", "Photo ↔ peinture avec CycleGAN"),
    "cycle.intro": (
        "CycleGAN learns to translate between two collections of images that were never paired: "
        "Monet's paintings and landscape photos. Two generators go each way, two discriminators judge "
        "each domain, and a cycle-consistency loss asks that going there and back returns the original; "
        "an identity loss asks each generator to leave images of its own target domain alone.",
        "CycleGAN apprend à traduire entre deux collections d'images jamais appariées : les tableaux de "
        "Monet et des photos de paysages. Deux générateurs vont chacun dans un sens, deux discriminateurs "
        "jugent chaque domaine, et une perte de cohérence cyclique demande que l'aller-retour rende "
        "l'original ; une perte d'identité demande à chaque générateur de laisser intactes les images de "
        "son propre domaine cible."),
    "cycle.style": ("Style and checkpoint", "Style et modèle"),
    "cycle.direction": ("Direction", "Sens"),
    "cycle.direction.BA": ("photo → painting", "photo → peinture"),
    "cycle.direction.AB": ("painting → photo", "peinture → photo"),
    "cycle.compact_note": (
        "The compact model was trained by this project on a CPU (see its model card): far smaller than the "
        "official networks, so expect a softer, more colour-driven style. Official checkpoints appear here "
        "when the operator enables Hub models.",
        "Le modèle compact a été entraîné par ce projet sur un CPU (voir sa fiche) : bien plus petit que les "
        "réseaux officiels, son style est plus doux et surtout coloré. Les modèles officiels apparaissent ici "
        "quand l'opérateur active les modèles du Hub."),
    "cycle.official_note": ("Official checkpoints hold only the photo → painting generator: no cycle view.",
                            "Les modèles officiels ne contiennent que le générateur photo → peinture : pas de vue du cycle."),
    "cycle.size": ("Size", "Taille"),
    "cycle.size.crop256": ("256 centre crop", "recadrage central 256"),
    "cycle.size.keep": ("keep size", "taille d'origine"),
    "cycle.size.tiled": ("tiled (large images)", "par tuiles (grandes images)"),
    "cycle.max_side": ("Largest side (pixels)", "Plus grand côté (pixels)"),
    "cycle.upload": ("Your image (JPEG, PNG or WebP)", "Votre image (JPEG, PNG ou WebP)"),
    "cycle.sample": ("or a sample", "ou un exemple"),
    "cycle.samples_licence": (
        "Samples: three Monet paintings (public domain) and a landscape drawn by the project (CC0); see assets/samples/ATTRIBUTION.md.",
        "Exemples : trois tableaux de Monet (domaine public) et un paysage dessiné par le projet (CC0) ; voir assets/samples/ATTRIBUTION.md."),
    "cycle.bad_image": ("This image cannot be used: {error}", "Cette image est inutilisable : {error}"),
    "cycle.input": ("What the generator sees ({w}x{h})", "Ce que voit le générateur ({w}x{h})"),
    "cycle.output": ("Translation, {ms:.0f} ms on {device}", "Traduction, {ms:.0f} ms sur {device}"),
    "cycle.cycle": ("The cycle: there and back", "Le cycle : aller et retour"),
    "cycle.reconstruction": ("F(G(x)), mean L1 error {l1:.3f} (pixels in [−1, 1])",
                             "F(G(x)), erreur L1 moyenne {l1:.3f} (pixels dans [−1, 1])"),
    "cycle.colour_blind": (
        "Why the colours drift on the way back: each generator starts with an instance normalisation, which "
        "subtracts every channel's mean over the image, so it cannot see your image's overall colour and the "
        "return trip has to guess it from what the picture shows. For this model, guessing the average colour "
        "would already cost about 0.2 of L1 (python -m ganzoo.evaluate cyclegan-monet-compact).",
        "Pourquoi les couleurs dérivent au retour : chaque générateur commence par une normalisation d'instance, "
        "qui retire à chaque canal sa moyenne sur l'image ; il ne voit donc pas la couleur d'ensemble de votre "
        "image, et le retour doit la deviner d'après ce que montre l'image. Pour ce modèle, deviner la couleur "
        "moyenne coûterait déjà environ 0,2 de L1 (python -m ganzoo.evaluate cyclegan-monet-compact)."),
    "cycle.identity": ("Identity: the other generator on your image", "Identité : l'autre générateur sur votre image"),
    "cycle.identity.caption": ("Should change little: mean L1 {l1:.3f}", "Devrait peu changer : L1 moyenne {l1:.3f}"),
    "cycle.identity.text": (
        "The generator that produces images of your image's own domain is trained to leave such images "
        "alone (the identity loss). Without it, CycleGAN tends to shift colours, e.g. turning a daylight "
        "photo into dusk.",
        "Le générateur qui produit des images du domaine de votre image est entraîné à laisser ces images "
        "telles quelles (la perte d'identité). Sans elle, CycleGAN a tendance à décaler les couleurs, par "
        "exemple à changer un jour en crépuscule."),

    # --- training lab ------------------------------------------------------------------
    "nav.lab": ("Training lab (2D)", "Labo d'entraînement (2D)"),
    "home.pages.lab": ("Watch a GAN learn a 2D cloud of points; see mode collapse and vanishing gradients happen.",
                       "Regarder un GAN apprendre un nuage de points 2D ; voir l'effondrement de modes et l'évanouissement du gradient."),
    "lab.title": ("Training lab: a GAN on the plane", "Labo : un GAN dans le plan"),
    "lab.intro": (
        "A GAN's goal is to make the distribution of its samples match the data's. In two dimensions you "
        "can watch it happen: blue points are real, orange points are generated, the background is the "
        "discriminator's verdict, and the black strokes show where the generator's loss pushes each sample.",
        "Le but d'un GAN est de faire coïncider la distribution de ses échantillons avec celle des données. "
        "En deux dimensions, on peut le voir : les points bleus sont réels, les orange générés, le fond est le "
        "verdict du discriminateur, et les traits noirs montrent où la perte du générateur pousse chaque échantillon."),
    "lab.preset": ("Preset", "Scénario"),
    "lab.preset.none": ("(your own settings)", "(vos propres réglages)"),
    "lab.preset.converges": ("It converges", "Ça converge"),
    "lab.preset.mode-collapse": ("Mode collapse", "Effondrement de modes"),
    "lab.preset.strong-discriminator": ("A discriminator too strong", "Un discriminateur trop fort"),
    "lab.preset.oscillation": ("Oscillation without convergence", "Oscillation sans convergence"),
    "lab.story.converges": (
        "A Wasserstein critic with gradient penalty, trained five times per generator step, gives the "
        "generator useful gradients everywhere. All eight modes fill in and the histogram distance falls.",
        "Un critique de Wasserstein avec pénalité de gradient, entraîné cinq fois par pas du générateur, lui "
        "donne des gradients utiles partout. Les huit modes se remplissent et la distance entre histogrammes baisse."),
    "lab.story.mode-collapse": (
        "The generator finds that a few modes fool the discriminator and piles its samples onto them; when "
        "the discriminator catches up, it hops elsewhere instead of spreading out. Watch the modes count.",
        "Le générateur découvre que quelques modes trompent le discriminateur et y entasse ses échantillons ; "
        "quand le discriminateur le rattrape, il saute ailleurs au lieu de s'étaler. Surveillez le nombre de modes."),
    "lab.story.strong-discriminator": (
        "With the original minimax loss and a discriminator trained five times faster, D rejects every "
        "sample with certainty and log(1 − D(G(z))) goes flat: the generator's gradient falls to almost zero "
        "and it stops learning.",
        "Avec la perte minimax d'origine et un discriminateur entraîné cinq fois plus vite, D rejette chaque "
        "échantillon avec certitude et log(1 − D(G(z))) devient plate : le gradient du générateur tombe "
        "presque à zéro et il n'apprend plus."),
    "lab.story.oscillation": (
        "A learning rate ten times too large for both players, and a critic trained only once per "
        "generator step: each one overshoots the other's last move, so the generated cloud sweeps across "
        "the plane and the losses swing back and forth instead of settling at an equilibrium.",
        "Un taux d'apprentissage dix fois trop grand pour les deux joueurs, et un critique entraîné une seule "
        "fois par pas du générateur : chacun dépasse le dernier coup de l'autre, le nuage généré balaie le "
        "plan et les pertes oscillent au lieu de se stabiliser à un équilibre."),
    "lab.settings": ("Settings", "Réglages"),
    "lab.target": ("Target", "Cible"),
    "lab.target.ring8": ("8 Gaussians on a ring", "8 gaussiennes en anneau"),
    "lab.target.grid25": ("5x5 grid of Gaussians", "grille 5x5 de gaussiennes"),
    "lab.target.moons": ("two moons", "deux lunes"),
    "lab.target.line": ("a line", "une droite"),
    "lab.target.custom": ("your own points", "vos propres points"),
    "lab.loss": ("Loss", "Perte"),
    "lab.loss.saturating": ("original minimax (saturating)", "minimax d'origine (saturante)"),
    "lab.loss.non-saturating": ("non-saturating", "non saturante"),
    "lab.loss.least-squares": ("least squares", "moindres carrés"),
    "lab.loss.wgan-gp": ("Wasserstein + gradient penalty", "Wasserstein + pénalité de gradient"),
    "lab.noise": ("Noise z", "Bruit z"),
    "lab.noise.gaussian": ("2D Gaussian", "gaussien 2D"),
    "lab.noise.uniform": ("2D uniform", "uniforme 2D"),
    "lab.g_opt": ("G optimizer", "Optimiseur de G"),
    "lab.d_opt": ("D optimizer", "Optimiseur de D"),
    "lab.g_lr": ("G learning rate", "Taux d'apprentissage de G"),
    "lab.d_lr": ("D learning rate", "Taux d'apprentissage de D"),
    "lab.d_steps": ("D steps per G step (k)", "Pas de D par pas de G (k)"),
    "lab.smoothing": ("Real label (smoothing)", "Étiquette réelle (lissage)"),
    "lab.g_hidden": ("G hidden units", "Neurones cachés de G"),
    "lab.d_hidden": ("D hidden units", "Neurones cachés de D"),
    "lab.custom.text": ("Click grid points to add them one by one, or pick **Box Select** in the chart's toolbar "
                        "and drag a rectangle to add many; or upload a CSV of x,y lines.",
                        "Cliquez sur des points de la grille pour les ajouter un à un, ou choisissez **Box Select** "
                        "dans la barre d'outils du graphique et tracez un rectangle pour en ajouter beaucoup ; "
                        "ou envoyez un CSV de lignes x,y."),
    "lab.custom.csv": ("Points as CSV (x,y per line)", "Points en CSV (x,y par ligne)"),
    "lab.custom.bad": ("This file cannot be used: {error}", "Ce fichier est inutilisable : {error}"),
    "lab.custom.clear": ("Clear the points", "Effacer les points"),
    "lab.custom.count": ("{n} points", "{n} points"),
    "lab.custom.need": ("Add at least two points to train on.", "Ajoutez au moins deux points pour entraîner."),
    "lab.play": ("▶ Play", "▶ Lancer"),
    "lab.pause": ("⏸ Pause", "⏸ Pause"),
    "lab.step": ("One step", "Un pas"),
    "lab.step_d": ("Step D only", "Pas de D seul"),
    "lab.step_g": ("Step G only", "Pas de G seul"),
    "lab.train100": ("+100 steps", "+100 pas"),
    "lab.reset": ("Reset", "Recommencer"),
    "lab.real": ("real", "réel"),
    "lab.fake": ("generated", "généré"),
    "lab.arrows": ("−∇ of G's loss", "−∇ de la perte de G"),
    "lab.curves.losses": ("Losses", "Pertes"),
    "lab.curves.coverage": ("Coverage", "Couverture"),
    "lab.loss_d": ("D loss", "perte de D"),
    "lab.loss_g": ("G loss", "perte de G"),
    "lab.kl": ("KL(real ‖ generated), 30x30 histograms", "KL(réel ‖ généré), histogrammes 30x30"),
    "lab.modes": ("modes covered", "modes couverts"),
    "lab.steps_done": ("Generator steps", "Pas du générateur"),
    "lab.grad_g": ("|∇ G| last step", "|∇ G| dernier pas"),
    "lab.timeline": ("Timeline", "Chronologie"),
    "lab.timeline.step": ("Snapshot", "Instantané"),
    "lab.timeline.caption": ("After {step} generator steps; KL {kl:.2f}.", "Après {step} pas du générateur ; KL {kl:.2f}."),
    "lab.export.png": ("PNG of the plane", "PNG du plan"),
    "lab.export.csv": ("CSV of losses and metrics", "CSV des pertes et métriques"),
    "lab.export.gif": ("GIF of the run", "GIF de l'entraînement"),

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
