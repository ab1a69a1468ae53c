"""What a model card says: every sentence `python -m ganzoo.train` writes into a card, in one place.

The training commands (ganzoo.training.commands) gather the facts of a run; the words, names and
titles around them are here, so a card's prose is read and changed in one file.
"""

import torch

from ganzoo.io.data import DATASETS
from ganzoo.training.cyclegan import COLOUR_LR_SCALE
from ganzoo.training.engine import PRECISIONS

DESCRIPTIONS = {
    "dense": ("The course's dense GAN on MNIST",
              "The Keras GAN of the course rebuilt in PyTorch: 100-d noise uniform in [-1, 1]; "
              "G: Dense(100) -> Dense(128) -> Dense(128) -> Dense(256) -> Dense(784), LeakyReLU(0.01), "
              "tanh; D: 784 -> three Dense(128) with LeakyReLU(0.01) -> one logit. Binary cross-entropy "
              "on logits, real labels smoothed to 0.9.",
              ["The course's Keras discriminator builds dense_2 and dense_3 but its call() passes dense_1's "
               "output through the LeakyReLUs straight to the logits, so those two layers are skipped. "
               "This checkpoint is the network the course meant: Dense(784), then all three Dense(128) "
               "layers with LeakyReLU(0.01), then the logit."]),
    "dcgan": ("DCGAN on MNIST",
              "A DCGAN for 28x28 digits: Gaussian noise (64-d) -> transposed convolutions 7x7 -> 14x14 -> "
              "28x28 with BatchNorm and ReLU, tanh output; the discriminator mirrors it with strided "
              "convolutions, BatchNorm and LeakyReLU(0.2).", []),
    "conditional": ("Conditional DCGAN on MNIST",
                    "The DCGAN with the digit as input: a one-hot label joins the noise in the generator "
                    "and enters the discriminator as ten constant planes beside the image.", []),
    "stylegan": ("Small StyleGAN on MNIST",
                 "A style-based generator (Karras et al. 2019) sized for a CPU: 64-d z -> a mapping network "
                 "(pixel norm, four fully connected layers) -> 64-d w; a learned constant 4x4 -> 8 -> 16 -> 32 "
                 "(128, 64, 32, 16 channels), eight layers each with per-pixel noise and AdaIN driven by w; the "
                 "central 28x28 is the image. Style-mixing regularisation (90% of batches) and the running mean "
                 "of w for the truncation trick. The discriminator is the DCGAN's plus a minibatch standard "
                 "deviation map.",
                 ["Smaller than the paper's: no progressive growing (at 32x32 it trains directly), no equalised "
                  "learning rate or R1 penalty: the project's DCGAN recipe (Adam, betas 0.5/0.999, non-saturating "
                  "loss with real labels at 0.9) at the paper's learning rate 1e-3, which learned twice as fast "
                  "as 2e-4 in a 200-step trial (Inception Score 2.9 against 1.5). The discriminator is the "
                  "DCGAN's with the paper's minibatch standard deviation map; mapping and style weights start "
                  "at unit gain (PyTorch's default initialisation left w near zero and the first run collapsed "
                  "onto one image)."]),
    "vae": ("Convolutional VAE on MNIST",
            "A variational autoencoder of the DCGAN's size, for the GAN-versus-VAE page: the decoder has the "
            "DCGAN generator's layers (64-d code -> 7x7 -> 14x14 -> 28x28), the encoder the discriminator's "
            "strided convolutions ending in the mean and log-variance of q(z|x). Bernoulli pixels; trained on "
            "the negative ELBO (reconstruction + KL to N(0, I)) with the reparameterisation trick.", []),
    "classifier": ("MNIST classifier (the judge)",
                   "A small CNN (four 3x3 convolutions with BatchNorm, two max-pools, a 128-d "
                   "penultimate layer) trained with random 2-pixel shifts. It judges generated digits: "
                   "Inception Score, Frechet distance on its 128-d features, class histograms.", []),
}
NAMES = {"dense": "mnist-dense", "dcgan": "mnist-dcgan", "conditional": "mnist-cgan", "vae": "mnist-vae",
         "stylegan": "mnist-stylegan", "classifier": "mnist-classifier", "cyclegan": "cyclegan-monet-compact",
         "painting-judge": "painting-judge"}
# Fashion-MNIST: the same architectures and recipes on 28x28 garments; the names say which data.
FASHION = {"dcgan": ("fashion-dcgan", "DCGAN on Fashion-MNIST"),
           "stylegan": ("fashion-stylegan", "Small StyleGAN on Fashion-MNIST"),
           "conditional": ("fashion-cgan", "Conditional DCGAN on Fashion-MNIST"),
           "vae": ("fashion-vae", "Convolutional VAE on Fashion-MNIST"),
           "classifier": ("fashion-classifier", "Fashion-MNIST classifier (the judge)")}
DATA_LABELS = {"mnist": "MNIST", "fashion": "Fashion-MNIST"}
TAGS = {"classifier": "classifier", "vae": "vae"}  # every other 28x28 kind is tagged "gan"


# --- the 28x28 models ---------------------------------------------------------------------------

def describe(model: str, dataset: str, codes: int = 0, clusters: int = 0) -> tuple:
    """(name, title, description, notes) of a model trained on `dataset` (with `codes`: an InfoGAN;
    with `clusters`: self-conditioned)."""
    title, description, notes = DESCRIPTIONS[model]
    name = NAMES[model]
    if dataset != "mnist":
        name, title = FASHION[model]
    if clusters:
        name, title = f"{dataset}-scgan", "Self-conditioned " + title
        description += (f" Self-conditioned (Liu et al. 2020): k-means splits the training images into {clusters} "
                        "clusters of the VAE's codes, without their labels; the latent vector ends with a one-hot "
                        "cluster, drawn as often as the cluster is large, and the discriminator judges every image "
                        "with its cluster beside it (a real image's own, a fake's code) as constant planes, as the "
                        "conditional DCGAN's discriminator reads the label. Sampling needs only a seed.")
    elif codes:
        description += (f" The latent vector ends with a categorical code of {codes} values, drawn uniformly and "
                        "one-hot (InfoGAN, Chen et al. 2016): the discriminator also names the code that drew "
                        "each fake and the generator keeps it readable, so that a code tends to one kind of "
                        "image, learned without any label.")
    if dataset != "mnist":
        for digits, garments in (("28x28 digits", "28x28 garments"), ("the digit as input", "the class as input"),
                                 ("generated digits", "generated garments")):
            description = description.replace(digits, garments)
    return name, title, description, notes


def discriminator_change(norm, loss) -> str:
    """The card's clause for a 28x28 GAN trained with a spectrally normalised D or the hinge loss
    ("" for the DCGAN's batch normalisation and cross-entropy)."""
    parts = (["its discriminator is spectrally normalised (Miyato et al. 2018; --d-norm spectral), with no "
              "batch normalisation"] if norm == "spectral" else []) + \
        (["it trains on the hinge loss (--loss hinge) instead of the cross-entropy"] if loss == "hinge" else [])
    return f" Changed from the recipe above: {'; '.join(parts)}." if parts else ""


def top_k_change(top_k, decay) -> str:
    """The card's clause for a GAN whose generator learned from its top-k fakes ("" for all of them)."""
    if top_k == 1:
        return ""
    return (f" The generator learned only from the fakes the discriminator scored highest (top-k training, Sinha "
            f"et al. 2020; --top-k {top_k:g}): all of them at first, then a share of {decay:g}^epoch of each "
            f"batch, never under {top_k:g}.")


def ema_note(decay) -> str:
    """The card's note on a generator shipped as the moving average of its weights."""
    return (f"The generator shipped is the exponential moving average of G's weights (decay "
            f"{decay}) over training, which draws cleaner samples than G's last iterate.")


def clusters_fact(clusters, seed, vae_name, digest, purity) -> str:
    """The card's line on a self-conditioned GAN's clusters."""
    return (f"{clusters} k-means clusters (seed {seed}) of {vae_name}'s codes of the training images (its "
            f"model.safetensors sha256 {digest}..., which decides the clusters); "
            f"against the labels, which training never reads, their purity is {purity:.3f} (the "
            "share of images whose label is their cluster's most common)")


def replicas_fact(replicas, size) -> str:
    """The card's line on the replicas of a run on several processes."""
    return (f"the weights' fingerprints on the {size} ranks: {', '.join(replicas)}"
            + (" (identical)" if len(set(replicas)) == 1 else " (DIFFERENT)"))


def gan_losses_fact(history) -> str:
    return f"D {history[-1]['loss_d']:.3f}, G {history[-1]['loss_g']:.3f}"


def vae_facts(history, test, data_label) -> dict:
    """The card's lines on a VAE's training and test ELBO terms."""
    return {"final losses": f"reconstruction {history[-1]['reconstruction']:.2f}, KL {history[-1]['kl']:.2f} "
                            "nats per image (training, last epoch)",
            "test ELBO terms": f"reconstruction {test['reconstruction']:.2f}, KL {test['kl']:.2f}, negative "
                               f"ELBO {test['negative_elbo']:.2f} nats per image (10,000 {data_label} test "
                               "images, codes at their means)"}


def accuracy_fact(accuracy, data_label) -> str:
    return f"{accuracy:.4f} (10,000 {data_label} test images)"


def images28_card(kind, dataset, described, commands, n_images, cfg, seed, elapsed, world, facts) -> dict:
    """The card of a 28x28 model: `described` is describe()'s (name, title, description, notes)
    with the run's changes; `cfg` its epochs, batch size, learning rates; `facts` what it measured."""
    name, title, description, notes = described
    return {
        "name": name, "title": title, "description": description, "notes": notes,
        "tags": ["ganzoo", dataset, TAGS.get(kind, "gan")] + (["stylegan"] if kind == "stylegan" else []),
        "training": {
            "command": "\n".join(commands),  # a resumed run lists every command, in order
            "commands": commands,
            "data": f"{DATA_LABELS[dataset]} training set, {n_images:,} images (../shared/data/{DATASETS[dataset]})",
            "epochs": cfg["epochs"], "batch size": cfg["batch_size"], "learning rate": cfg["lr"],
            **({"discriminator learning rate": cfg["d_lr"]} if cfg.get("d_lr") not in (None, cfg["lr"]) else {}),
            "seed": seed, "time": f"{elapsed / 60:.1f} min on " + where(world),
            "torch": torch.__version__, **facts,
        },
    }


# --- every kind ---------------------------------------------------------------------------------

def where(world) -> str:
    """What a run's time was spent on, for its card."""
    return (f"{world.size} processes x " if world.size > 1 else "") + (
        f"{torch.get_num_threads()} CPU threads" if world.device.type == "cpu" else str(world.device))


def run_facts(world, precision="fp32") -> dict:
    """The device, precision and world size every card records."""
    return {"device": str(world.device), "precision": PRECISIONS[precision], "world size": world.size}


# --- the CycleGAN and its judge -----------------------------------------------------------------

def identity_change(weight) -> str:
    """The card's clause for an identity weight other than the paper's 0.5 ("" for 0.5)."""
    if weight == 0.5:
        return ""
    done = ("dropped the identity loss (--identity-weight 0)" if weight == 0 else
            f"weighed the identity loss {weight:g} x cycle instead of 0.5 (--identity-weight)")
    return f"; the last run {done}, which also pulls each translation toward its input's colours"


def cyclegan_description(args) -> str:
    """What the CycleGAN of a run with these flags is, and the recipe it trained on."""
    return (f"Both generators (G_AB painting -> photo, G_BA photo -> painting) and both "
            f"PatchGAN critics, in the layout of the CycleGAN authors' code but compact "
            f"(ngf={args.ngf}, {args.blocks} residual blocks) so it trains and runs on a CPU"
            + (", upsampling by nearest-neighbour resize then 3x3 convolution instead of "
               "transposed convolutions, which leaves no checkerboard. "
               if args.upsample == "resize" else ". ") +
            ("Each generator also adds its input's mean colour back before its tanh, through "
             f"a 3x3 linear map (--colour; it learns at {COLOUR_LR_SCALE}x the rate of the rest): "
             "the opening InstanceNorm removes it, and guessing it from content cost about a "
             "quarter of the cycle's error without it. " if args.colour else "") +
            "Recipe of the paper: least-squares GAN loss, cycle weight 10, identity 0.5 x "
            "cycle, a 50-image pool, linear learning-rate decay over the second half"
            + (f"; the last run weighed the cycle loss {args.cycle_weight:g} instead of 10 "
               "(--cycle-weight)" if args.cycle_weight != 10 else "")
            + identity_change(args.identity_weight) + ".")


def cyclegan_card(args, commands, counts, history, elapsed, world, precision, shots, snapshots_folder) -> dict:
    """The CycleGAN's card: `counts` the paintings and photos it trained on, `shots` its snapshots
    as (iteration, path), in order."""
    card = {"name": NAMES["cyclegan"], "title": "Compact CycleGAN: Monet paintings <-> photos",
            "description": cyclegan_description(args),
            "tags": ["ganzoo", "cyclegan", "monet2photo", "image-to-image"],
            "training": {"command": "\n".join(commands), "commands": commands,
                         "data": f"monet2photo: {counts[0]} Monet paintings (trainA), {counts[1]} photos "
                                 f"(trainB), random {args.crop}x{args.crop} crops of the 256x256 images",
                         "iterations": args.iterations, "batch size": args.batch_size,
                         "cycle weight": args.cycle_weight, "identity weight": args.identity_weight,
                         "time": f"{elapsed / 60:.1f} min on " + where(world),
                         **run_facts(world, precision),
                         "final losses": history[-1] if history else {}, "seed": args.seed}}
    card["history"] = history  # per logging window, drawn beside the snapshots on the CycleGAN page
    if shots:
        card["training"]["snapshots"] = (f"{len(shots)} strips in {snapshots_folder}/, iterations {shots[0][0]} "
                                         f"to {shots[-1][0]}: the app's sample landscape through G_BA and its "
                                         "three Monet samples through G_AB, as training went")
    return card


def painting_judge_card(command, data, counts, elapsed, seed, world, accuracies) -> dict:
    """The painting judge's card: `counts` the paintings and photos it trained on, `accuracies` its
    share right on the test paintings and photos."""
    return {"name": NAMES["painting-judge"], "title": "Painting-or-photo judge",
            "description": "A small CNN that tells Monet paintings from landscape photos; it judges the "
                           "CycleGAN translations (share of translated photos it takes for paintings).",
            "tags": ["ganzoo", "classifier", "monet2photo"],
            "training": {"command": command,
                         "data": f"{data} trainA ({counts[0]} paintings) / trainB ({counts[1]} photos)",
                         "time": f"{elapsed / 60:.1f} min", "seed": seed, **run_facts(world),
                         "test accuracy": f"paintings {accuracies[0]:.3f}, photos {accuracies[1]:.3f} "
                                          "(testA / testB)"}}
