"""Training CLI: `python -m ganzoo.train {dense,dcgan,conditional,stylegan,vae,classifier} [--dataset fashion]`.

Seeded, resumable (a training_state.pt beside the checkpoint, saved every epoch and loaded with
weights_only=True), writes a Hub-layout folder whose model card records the exact command. The GANs
also train on several processes: `torchrun --nproc_per_node=N -m ganzoo.train dcgan ...`
(DistributedDataParallel; ganzoo.training.distributed).
"""

import argparse
import json
import shlex
import sys
from pathlib import Path

import torch

from ganzoo.io import checkpoints
from ganzoo.io.data import DATASETS, DEFAULT_ROOT, load_dataset
from ganzoo.models.mnist import DCGANDiscriminator, MnistClassifier, MnistGAN
from ganzoo.runtime.device import training_precision
from ganzoo.training import distributed
from ganzoo.training.classifier import accuracy, judge_accuracy, train_classifier, train_painting_judge
from ganzoo.training.clusters import frequencies, purity, vae_clusters
from ganzoo.training.engine import PRECISIONS
from ganzoo.training.gan import LOSSES as GAN_LOSSES
from ganzoo.training.gan import check_top_k, train_gan
from ganzoo.training.state import STATE_FILE

COMMANDS_FILE = "commands.json"  # beside training_state.pt: what the card's command list is built from

GAN_DEFAULTS = {  # per architecture: what measured best on this project's CPU runs
    "dense": dict(epochs=10, batch_size=256, lr=2e-4, latent_dim=100, width=32, smooth=0.9),
    "dcgan": dict(epochs=15, batch_size=128, lr=2e-4, latent_dim=64, width=32, smooth=0.9),
    "conditional": dict(epochs=15, batch_size=128, lr=2e-4, latent_dim=64, width=32, smooth=0.9),
    "stylegan": dict(epochs=20, batch_size=128, lr=1e-3, latent_dim=64, width=32, smooth=0.9),
}


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


def self_conditioning(args, images, labels) -> tuple:
    """The training images' clusters (ganzoo.training.clusters.vae_clusters with the dataset's shipped VAE and
    the run's seed, so a resumed run finds the same ones) and the card's line about them."""
    import hashlib

    from ganzoo.models.vae import ConvVAE
    vae_name = f"{args.dataset}-vae"
    folder = checkpoints.WEIGHTS_DIR / vae_name
    vae = checkpoints.load_folder(ConvVAE, folder)
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()[:12]
    assign = vae_clusters(vae, images, args.clusters, seed=args.seed)
    fact = (f"{args.clusters} k-means clusters (seed {args.seed}) of {vae_name}'s codes of the training images (its "
            f"model.safetensors sha256 {digest}..., which decides the clusters); "
            f"against the labels, which training never reads, their purity is {purity(assign, labels):.3f} (the "
            "share of images whose label is their cluster's most common)")
    print(fact)
    return assign, fact


def this_command(argv) -> str:
    return "python -m ganzoo.train " + " ".join(shlex.quote(a) for a in argv)


def card_commands(folder) -> list:
    """The commands recorded in `folder`'s card, in order."""
    before = checkpoints.read_card(folder).get("training", {})
    return before.get("commands", [before["command"]] if "command" in before else [])


def run_commands(out, argv, init_from=None, main=True) -> list:
    """Every command that trained the run in `out`, in order, this one last unless it repeats the last.

    Kept in out/commands.json from the moment a run starts, not only in the card written at its end,
    so a run stopped and resumed before its first card still names the command that began it. A run
    with no training_state.pt to resume starts the list over (from init_from's card when it warm-starts).
    """
    if not main:  # rank 0 alone keeps the list, as it alone saves the training state and the card
        return []
    out, path = Path(out), Path(out) / COMMANDS_FILE
    if (out / STATE_FILE).is_file():
        before = json.loads(path.read_text()) if path.is_file() else card_commands(out)
    else:
        before = card_commands(init_from) if init_from else []
    command = this_command(argv)
    commands = before if before and before[-1] == command else before + [command]
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(commands, indent=1) + "\n")
    return commands


def warm_start(model, state: dict, source, p, new, hint="") -> None:
    """Load an earlier run's weights into `model` (--init-from `source`); only the keys `new` accepts
    (a part the earlier model lacked) may be missing. Anything else stops the CLI with one line."""
    try:
        missing, unexpected = model.load_state_dict(state, strict=False)
    except RuntimeError as e:  # a tensor of another shape
        p.error(f"--init-from {source}: its weights do not fit this model ({str(e).splitlines()[1].strip()}){hint}")
    missing = [k for k in missing if not new(k)]
    if missing or unexpected:
        p.error(f"--init-from {source}: its weights do not fit this model "
                f"(missing {sorted(missing)}, unexpected {sorted(unexpected)}){hint}")


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


def gan_warm_state(model, source) -> tuple:
    """(state, new) for warm_start: an earlier GAN's weights, and which of the model's keys may be
    missing from them. A discriminator of another norm (--d-norm) starts fresh beside the earlier
    generator; a --d-head projection's embedding starts at zero."""
    earlier = checkpoints.load_folder(type(model), source)
    state = earlier.state_dict()
    if getattr(earlier, "d_norm", "batch") != getattr(model, "d_norm", "batch"):
        state = {k: v for k, v in state.items() if not k.startswith("discriminator.")}
        return state, lambda k: k.startswith("discriminator.")
    return state, lambda k: k.startswith("discriminator.embed.")


def where(world) -> str:
    """What a run's time was spent on, for its card."""
    return (f"{world.size} processes x " if world.size > 1 else "") + (
        f"{torch.get_num_threads()} CPU threads" if world.device.type == "cpu" else str(world.device))


def run_facts(world, precision="fp32") -> dict:
    """The device, precision and world size every card records."""
    return {"device": str(world.device), "precision": PRECISIONS[precision], "world size": world.size}


def identity_change(weight) -> str:
    """The card's clause for an identity weight other than the paper's 0.5 ("" for 0.5)."""
    if weight == 0.5:
        return ""
    done = ("dropped the identity loss (--identity-weight 0)" if weight == 0 else
            f"weighed the identity loss {weight:g} x cycle instead of 0.5 (--identity-weight)")
    return f"; the last run {done}, which also pulls each translation toward its input's colours"


def main_cyclegan(args, argv, out, world, p):
    from ganzoo.io.data import load_image_folder
    from ganzoo.models.cyclegan import CycleGAN, PaintingClassifier, ResizeConv2d, resize_from_transposed
    from ganzoo.training.cyclegan import COLOUR_LR_SCALE, train_cyclegan
    data = Path(args.data)
    train_a, train_b = load_image_folder(data / "trainA"), load_image_folder(data / "trainB")
    if args.model == "painting-judge":
        model = PaintingClassifier()
        elapsed = train_painting_judge(model, train_a, train_b, epochs=args.epochs or 15,
                                       batch_size=args.batch_size or 32, lr=args.lr or 3e-3, seed=args.seed,
                                       device=world.device)
        acc_a, acc_b = judge_accuracy(model, load_image_folder(data / "testA"), load_image_folder(data / "testB"))
        card = {"name": NAMES[args.model], "title": "Painting-or-photo judge",
                "description": "A small CNN that tells Monet paintings from landscape photos; it judges the "
                               "CycleGAN translations (share of translated photos it takes for paintings).",
                "tags": ["ganzoo", "classifier", "monet2photo"],
                "training": {"command": this_command(argv),
                             "data": f"{data} trainA ({len(train_a)} paintings) / trainB ({len(train_b)} photos)",
                             "time": f"{elapsed / 60:.1f} min", "seed": args.seed, **run_facts(world),
                             "test accuracy": f"paintings {acc_a:.3f}, photos {acc_b:.3f} (testA / testB)"}}
    else:
        model = CycleGAN(ngf=args.ngf, n_blocks=args.blocks, ndf=args.ndf, upsample=args.upsample, colour=args.colour)
        if args.init_from:  # warm start: the weights of an earlier run, fresh optimizers and schedule
            source = checkpoints.load_folder(CycleGAN, args.init_from)
            if any(isinstance(m, ResizeConv2d) for m in model.G_AB.model) and not any(
                    isinstance(m, ResizeConv2d) for m in source.G_AB.model):
                for name in ("G_AB", "G_BA"):
                    resize_from_transposed(getattr(model, name), getattr(source, name))
                for name in ("D_A", "D_B"):
                    getattr(model, name).load_state_dict(getattr(source, name).state_dict())
            else:  # the same network, or the same plus a colour path, which starts at zero
                warm_start(model, source.state_dict(), args.init_from, p, new=lambda k: ".colour." in k,
                           hint="; give its --ngf, --blocks and --ndf, and --colour if it has one")
        commands = run_commands(out, argv, args.init_from)
        from ganzoo.training import snapshots
        def snapshot(trained, iteration):  # learning over time, for the CycleGAN page
            trained.save_pretrained(out)  # the weights so far, beside the state: a run can be judged mid-way
            if args.snapshot_every and iteration % args.snapshot_every == 0:
                snapshots.write(trained, out, iteration)

        history, elapsed = train_cyclegan(model, train_a, train_b, iterations=args.iterations,
                                          batch_size=args.batch_size or 1, crop=args.crop, lr=args.lr or 2e-4,
                                          seed=args.seed, out=out, on_save=snapshot, device=world.device,
                                          precision=args.precision, lambda_cycle=args.cycle_weight,
                                          lambda_identity=args.identity_weight)
        card = {"name": NAMES[args.model], "title": "Compact CycleGAN: Monet paintings <-> photos",
                "description": f"Both generators (G_AB painting -> photo, G_BA photo -> painting) and both "
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
                               + identity_change(args.identity_weight) + ".",
                "tags": ["ganzoo", "cyclegan", "monet2photo", "image-to-image"],
                "training": {"command": "\n".join(commands), "commands": commands,
                             "data": f"monet2photo: {len(train_a)} Monet paintings (trainA), {len(train_b)} photos "
                                     f"(trainB), random {args.crop}x{args.crop} crops of the 256x256 images",
                             "iterations": args.iterations, "batch size": args.batch_size or 1,
                             "cycle weight": args.cycle_weight, "identity weight": args.identity_weight,
                             "time": f"{elapsed / 60:.1f} min on " + where(world),
                             **run_facts(world, args.precision),
                             "final losses": history[-1] if history else {}, "seed": args.seed}}
        card["history"] = history  # per logging window, drawn beside the snapshots on the CycleGAN page
        shots = snapshots.listed(out)
        if shots:
            card["training"]["snapshots"] = (f"{len(shots)} strips in {snapshots.FOLDER}/, iterations {shots[0][0]} "
                                             f"to {shots[-1][0]}: the app's sample landscape through G_BA and its "
                                             "three Monet samples through G_AB, as training went")
    checkpoints.save(model.cpu(), out, card)
    print(f"wrote {out}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(prog="python -m ganzoo.train", description=__doc__)
    p.add_argument("model", choices=["dense", "dcgan", "conditional", "stylegan", "vae", "classifier", "cyclegan",
                                     "painting-judge"])
    p.add_argument("--iterations", type=int, default=6000, help="cyclegan: generator steps")
    p.add_argument("--ngf", type=int, default=16, help="cyclegan: generator width (official: 64)")
    p.add_argument("--blocks", type=int, default=6, help="cyclegan: residual blocks (official: 9)")
    p.add_argument("--colour", action="store_true",
                   help="cyclegan: each generator adds back its input's mean colour, which its first InstanceNorm "
                        "removes (ganzoo.models.cyclegan; not in the authors' layout)")
    p.add_argument("--cycle-weight", type=float, default=10.0,
                   help="cyclegan: weight of the cycle loss (the paper's 10)")
    p.add_argument("--identity-weight", type=float, default=0.5,
                   help="cyclegan: weight of the identity loss, as a fraction of the cycle weight (the paper's 0.5)")
    p.add_argument("--ndf", type=int, default=32, help="cyclegan: critic width (official: 64)")
    p.add_argument("--upsample", choices=["transpose", "resize"], default="transpose",
                   help="cyclegan: the authors' transposed convolutions, or resize-convolutions (no checkerboard)")
    p.add_argument("--crop", type=int, default=128, help="cyclegan: training crop size")
    p.add_argument("--snapshot-every", type=int, default=500,
                   help="cyclegan: save the fixed images' translations every N iterations (0: never)")
    p.add_argument("--init-from", help="start from this checkpoint folder's weights (fresh optimizers)")
    p.add_argument("--dataset", choices=list(DATASETS), default="mnist",
                   help="28x28 models: MNIST digits or Fashion-MNIST garments")
    p.add_argument("--data", default=None, help="28x28 models: folder holding MNIST/raw and FashionMNIST/raw; "
                                                "cyclegan: a folder with trainA/trainB (testA/testB)")
    p.add_argument("--out", help="checkpoint folder (default weights/<name>)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--d-lr", type=float, help="discriminator learning rate (default: --lr)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--width", type=int, help="GANs: network width (default per architecture)")
    p.add_argument("--d-head", choices=DCGANDiscriminator.HEADS, default="plain",
                   help="dcgan/conditional: how D reads its features (ganzoo.models.mnist.DCGANDiscriminator)")
    p.add_argument("--d-norm", choices=DCGANDiscriminator.NORMS, default="batch",
                   help="dcgan/conditional: batch or spectral normalisation in D (DCGANDiscriminator)")
    p.add_argument("--loss", choices=GAN_LOSSES, default="non-saturating",
                   help="dcgan/conditional: the GAN loss (ganzoo.maths.losses; hinge usually with --d-norm spectral)")
    p.add_argument("--top-k", type=float, default=1.0,
                   help="GANs: G learns only from this share of each batch's fakes, those D scores highest, reached "
                        "by annealing from 1 (top-k training; ganzoo.training.gan.top_k_rate)")
    p.add_argument("--top-k-decay", type=float, default=0.99,
                   help="GANs, with --top-k: the share G learns from is decay^epoch until it reaches --top-k")
    p.add_argument("--codes", type=int, default=0,
                   help="dcgan: an InfoGAN with a categorical code of this many values (ganzoo.models.mnist.MnistGAN)")
    p.add_argument("--clusters", type=int, default=0,
                   help="dcgan: self-conditioned on this many k-means clusters of the dataset VAE's codes "
                        "(ganzoo.training.clusters; no label used)")
    p.add_argument("--ema", type=float, default=0.0, help="GANs: ship an exponential moving average of G's "
                                                          "weights with this decay (e.g. 0.999)")
    p.add_argument("--threads", type=int, help="torch CPU threads")
    precision = p.add_mutually_exclusive_group()
    precision.add_argument("--bf16", action="store_const", dest="precision", const="bf16", default="fp32",
                           help="GANs and cyclegan: bf16 autocast forward passes (on GPUs, and 2x faster on CPUs "
                                "with native bf16: benchmarks/training.py)")
    precision.add_argument("--fp16", action="store_const", dest="precision", const="fp16",
                           help="GANs and cyclegan, on a GPU without bf16: fp16 autocast with a gradient scaler")
    p.add_argument("--limit", type=int, help="train on the first N images only (smoke tests)")
    p.add_argument("--push-to-hub", metavar="REPO", help="also publish the folder to this Hub repo")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    world = distributed.join()  # one process, or this one's place in a torchrun job
    if world.size > 1 and args.model not in GAN_DEFAULTS:
        distributed.leave(world)
        p.error(f"{args.model} trains on one process (on the GPU when there is one); torchrun is for the GANs")
    if args.precision != "fp32" and args.model not in (*GAN_DEFAULTS, "cyclegan"):
        p.error(f"--{args.precision}: for the GANs and the CycleGAN; {args.model} trains in fp32")
    args.precision, why = training_precision(args.precision, world.device)
    if why:
        print(why)
    if args.model in ("cyclegan", "painting-judge"):
        out = Path(args.out or checkpoints.WEIGHTS_DIR / NAMES[args.model])
        args.data = args.data or str(DEFAULT_ROOT / "monet2photo")
        return main_cyclegan(args, argv, out, world, p)
    if args.dataset != "mnist" and args.model not in FASHION:
        p.error(f"{args.model} trains on MNIST only")
    if args.codes and args.model != "dcgan":
        p.error("--codes: for the unconditional dcgan only (an InfoGAN)")
    if args.clusters and (args.model != "dcgan" or args.codes):
        p.error("--clusters: for the unconditional dcgan only, without --codes")
    if (args.d_norm, args.loss) != ("batch", "non-saturating") and args.model not in ("dcgan", "conditional"):
        p.error("--d-norm and --loss: for the dcgan and the conditional GAN")
    if (args.top_k, args.top_k_decay) != (1.0, 0.99) and args.model not in GAN_DEFAULTS:
        p.error("--top-k and --top-k-decay: for the GANs")
    try:
        check_top_k(args.top_k, args.top_k_decay)
    except ValueError as e:
        p.error(f"--top-k and --top-k-decay: {e}")
    name, title, description, notes = describe(args.model, args.dataset, args.codes, args.clusters)
    description += discriminator_change(args.d_norm, args.loss) + top_k_change(args.top_k, args.top_k_decay)
    out = Path(args.out or checkpoints.WEIGHTS_DIR / name)
    args.data = args.data or str(DEFAULT_ROOT)
    images, labels = load_dataset(args.dataset, args.data, train=True)
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    data_label = DATA_LABELS[args.dataset]
    commands = run_commands(out, argv, args.init_from, world.main)
    if args.model == "classifier":
        cfg = dict(epochs=args.epochs or 8, batch_size=args.batch_size or 128, lr=args.lr or 3e-3)
        model = MnistClassifier()
        elapsed = train_classifier(model, images, labels, seed=args.seed, out=out, device=world.device, **cfg)
        test_images, test_labels = load_dataset(args.dataset, args.data, train=False)
        extra = {"test accuracy": f"{accuracy(model, test_images, test_labels):.4f} (10,000 {data_label} test images)",
                 **run_facts(world)}
    elif args.model == "vae":
        from ganzoo.models.vae import ConvVAE
        from ganzoo.training.vae import elbo_terms, train_vae
        cfg = dict(epochs=args.epochs or 20, batch_size=args.batch_size or 128, lr=args.lr or 1e-3)
        model = ConvVAE(latent_dim=64, width=args.width or 32)
        history, elapsed = train_vae(model, images, seed=args.seed, out=out, device=world.device, **cfg)
        test = elbo_terms(model, load_dataset(args.dataset, args.data, train=False)[0])
        extra = {"final losses": f"reconstruction {history[-1]['reconstruction']:.2f}, KL {history[-1]['kl']:.2f} "
                                 "nats per image (training, last epoch)",
                 "test ELBO terms": f"reconstruction {test['reconstruction']:.2f}, KL {test['kl']:.2f}, negative "
                                    f"ELBO {test['negative_elbo']:.2f} nats per image (10,000 {data_label} test "
                                    "images, codes at their means)", **run_facts(world)}
    else:
        d = GAN_DEFAULTS[args.model]
        cfg = dict(epochs=args.epochs or d["epochs"], batch_size=args.batch_size or d["batch_size"],
                   lr=args.lr or d["lr"], d_lr=args.d_lr or d.get("d_lr") or args.lr or d["lr"], smooth=d["smooth"])
        if args.model == "stylegan":
            from ganzoo.models.stylegan import StyleGAN
            model = StyleGAN(latent_dim=d["latent_dim"], d_width=args.width or d["width"])
        elif args.clusters:
            clusters, clusters_fact = self_conditioning(args, images, labels)
            labels = clusters  # what D's head learns to name on real images; the digits stay unused
            model = MnistGAN(args.model, latent_dim=d["latent_dim"], width=args.width or d["width"],
                             codes=args.clusters, code_weights=frequencies(clusters, args.clusters), d_norm=args.d_norm)
        else:
            model = MnistGAN(args.model, latent_dim=d["latent_dim"], width=args.width or d["width"], d_head=args.d_head,
                             codes=args.codes, d_norm=args.d_norm)
        if args.init_from:  # warm start from an earlier run's weights; fresh optimizers
            state, new = gan_warm_state(model, args.init_from)
            warm_start(model, state, args.init_from, p, new=new)
        snapshot = (lambda m, epoch: m.save_pretrained(out)) if args.ema else None
        history, elapsed = train_gan(model, images, labels, seed=args.seed, out=out, precision=args.precision,
                                     ema_decay=args.ema, on_epoch=snapshot, world=world, loss=args.loss,
                                     top_k=args.top_k, top_k_decay=args.top_k_decay, **cfg)
        replicas = distributed.fingerprints(model, world)  # every rank takes part
        distributed.leave(world)
        if not world.main:
            return
        extra = {"final losses": f"D {history[-1]['loss_d']:.3f}, G {history[-1]['loss_g']:.3f}",
                 **run_facts(world, args.precision)}
        if args.clusters:
            extra["clusters"] = clusters_fact
        if world.size > 1:
            extra["replicas"] = (f"the weights' fingerprints on the {world.size} ranks: {', '.join(replicas)}"
                                 + (" (identical)" if len(set(replicas)) == 1 else " (DIFFERENT)"))
    if args.ema:
        notes = notes + [f"The generator shipped is the exponential moving average of G's weights (decay "
                         f"{args.ema}) over training, which draws cleaner samples than G's last iterate."]
    card = {
        "name": name, "title": title, "description": description, "notes": notes,
        "tags": ["ganzoo", args.dataset] + [{"classifier": "classifier", "vae": "vae"}.get(args.model, "gan")]
                + (["stylegan"] if args.model == "stylegan" else []),
        "training": {
            "command": "\n".join(commands),  # a resumed run lists every command, in order
            "commands": commands,
            "data": f"{data_label} training set, {len(images):,} images (../shared/data/{DATASETS[args.dataset]})",
            "epochs": cfg["epochs"], "batch size": cfg["batch_size"], "learning rate": cfg["lr"],
            **({"discriminator learning rate": cfg["d_lr"]} if cfg.get("d_lr") not in (None, cfg["lr"]) else {}),
            "seed": args.seed, "time": f"{elapsed / 60:.1f} min on " + where(world),
            "torch": torch.__version__, **extra,
        },
    }
    if args.model == "vae":  # per-epoch terms, drawn on the GAN-versus-VAE page (not in the card's text)
        card["history"] = history
    checkpoints.save(model.cpu(), out, card)
    print(f"wrote {out}")
    if args.push_to_hub:
        model.push_to_hub(args.push_to_hub)
        from huggingface_hub import upload_folder
        upload_folder(repo_id=args.push_to_hub, folder_path=str(out), allow_patterns=["README.md", "card.json"])


if __name__ == "__main__":
    main()
    distributed.end_worker()
