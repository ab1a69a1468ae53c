"""The 28x28 GANs: dense (the course's Keras GAN), dcgan (an InfoGAN with --codes, self-conditioned with
--clusters), conditional, stylegan. The only kinds that train on several processes:
`torchrun --nproc_per_node=N -m ganzoo.train dcgan ...` (ganzoo.training.distributed)."""

import hashlib

from ganzoo.io import checkpoints
from ganzoo.models.mnist import DCGANDiscriminator, MnistGAN
from ganzoo.training import cards, distributed
from ganzoo.training.clusters import frequencies, purity, vae_clusters
from ganzoo.training.commands import images28, options
from ganzoo.training.commands.warm_start import warm_start
from ganzoo.training.gan import LOSSES as GAN_LOSSES
from ganzoo.training.gan import check_top_k, train_gan

KINDS = ("dense", "dcgan", "conditional", "stylegan")
DISTRIBUTED = True
SUMMARIES = {"dense": "the course's dense GAN", "dcgan": "a DCGAN (an InfoGAN with --codes, self-conditioned "
             "with --clusters)", "conditional": "a DCGAN that takes the class", "stylegan": "a small StyleGAN"}
GAN_DEFAULTS = {  # per architecture: what measured best on this project's CPU runs
    "dense": dict(epochs=10, batch_size=256, lr=2e-4, latent_dim=100, width=32, smooth=0.9),
    "dcgan": dict(epochs=15, batch_size=128, lr=2e-4, latent_dim=64, width=32, smooth=0.9),
    "conditional": dict(epochs=15, batch_size=128, lr=2e-4, latent_dim=64, width=32, smooth=0.9),
    "stylegan": dict(epochs=20, batch_size=128, lr=1e-3, latent_dim=64, width=32, smooth=0.9),
}
# What a kind that lacks a flag trains with: the recipe's own choice.
FIXED = dict(d_head="plain", d_norm="batch", loss="non-saturating", codes=0, clusters=0)


def add_arguments(parser, kind) -> None:
    images28.add_arguments(parser)
    options.add_init_from(parser)
    options.add_precision(parser)
    d = GAN_DEFAULTS[kind]
    parser.set_defaults(epochs=d["epochs"], batch_size=d["batch_size"], lr=d["lr"], width=d["width"], **FIXED)
    parser.add_argument("--d-lr", type=float, help="discriminator learning rate (default: --lr)")
    if kind != "dense":  # the course's dense GAN has no width to choose
        parser.add_argument("--width", type=int, help="network width (default %(default)s)")
    parser.add_argument("--top-k", type=float, default=1.0,
                        help="G learns only from this share of each batch's fakes, those D scores highest, reached "
                             "by annealing from 1 (top-k training; ganzoo.training.gan.top_k_rate)")
    parser.add_argument("--top-k-decay", type=float, default=0.99,
                        help="with --top-k: the share G learns from is decay^epoch until it reaches --top-k")
    parser.add_argument("--ema", type=float, default=0.0,
                        help="ship an exponential moving average of G's weights with this decay (e.g. 0.999)")
    if kind in ("dcgan", "conditional"):
        add_discriminator_arguments(parser)
    if kind == "dcgan":
        codes = parser.add_mutually_exclusive_group()
        codes.add_argument("--codes", type=int, default=0,
                           help="an InfoGAN with a categorical code of this many values (ganzoo.models.mnist.MnistGAN)")
        codes.add_argument("--clusters", type=int, default=0,
                           help="self-conditioned on this many k-means clusters of the dataset VAE's codes "
                                "(ganzoo.training.clusters; no label used)")


def add_discriminator_arguments(parser) -> None:
    """The DCGAN discriminator's variants (ganzoo.models.mnist.DCGANDiscriminator)."""
    parser.add_argument("--d-head", choices=DCGANDiscriminator.HEADS, default="plain",
                        help="how D reads its features (ganzoo.models.mnist.DCGANDiscriminator)")
    parser.add_argument("--d-norm", choices=DCGANDiscriminator.NORMS, default="batch",
                        help="batch or spectral normalisation in D (DCGANDiscriminator)")
    parser.add_argument("--loss", choices=GAN_LOSSES, default="non-saturating",
                        help="the GAN loss (ganzoo.maths.losses; hinge usually with --d-norm spectral)")


def run(args, invocation) -> None:
    try:
        check_top_k(args.top_k, args.top_k_decay)
    except ValueError as e:
        invocation.refuse(f"--top-k and --top-k-decay: {e}")
    kind, world = args.model, invocation.world
    changes = cards.discriminator_change(args.d_norm, args.loss) + cards.top_k_change(args.top_k, args.top_k_decay)
    job = images28.start(kind, args, invocation, args.init_from, args.codes, args.clusters, changes)
    model, labels, facts = build(kind, args, job)
    if args.init_from:  # warm start from an earlier run's weights; fresh optimizers
        state, new = gan_warm_state(model, args.init_from)
        warm_start(model, state, args.init_from, invocation.refuse, new=new)
    cfg = dict(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, d_lr=args.d_lr or args.lr,
               smooth=GAN_DEFAULTS[kind]["smooth"])
    snapshot = (lambda m, epoch: m.save_pretrained(job.out)) if args.ema else None
    history, elapsed = train_gan(model, job.images, labels, seed=args.seed, out=job.out,
                                 precision=invocation.precision, ema_decay=args.ema, on_epoch=snapshot, world=world,
                                 loss=args.loss, top_k=args.top_k, top_k_decay=args.top_k_decay, **cfg)
    replicas = distributed.fingerprints(model, world)  # every rank takes part
    distributed.leave(world)
    if not world.main:
        return
    facts = {"final losses": cards.gan_losses_fact(history), **cards.run_facts(world, invocation.precision), **facts}
    if world.size > 1:
        facts["replicas"] = cards.replicas_fact(replicas, world.size)
    images28.finish(job, model, cfg, elapsed, world, facts, notes=[cards.ema_note(args.ema)] if args.ema else [])


def build(kind, args, job) -> tuple:
    """(model, the labels D learns from, the card's facts on them)."""
    d = GAN_DEFAULTS[kind]
    if kind == "stylegan":
        from ganzoo.models.stylegan import StyleGAN
        return StyleGAN(latent_dim=d["latent_dim"], d_width=args.width), job.labels, {}
    if args.clusters:
        clusters, fact = self_conditioning(args, job.images, job.labels)
        model = MnistGAN(kind, latent_dim=d["latent_dim"], width=args.width, codes=args.clusters,
                         code_weights=frequencies(clusters, args.clusters), d_norm=args.d_norm)
        return model, clusters, {"clusters": fact}  # D's head names the clusters; the labels stay unused
    model = MnistGAN(kind, latent_dim=d["latent_dim"], width=args.width, d_head=args.d_head, codes=args.codes,
                     d_norm=args.d_norm)
    return model, job.labels, {}


def self_conditioning(args, images, labels) -> tuple:
    """The training images' clusters (ganzoo.training.clusters.vae_clusters with the dataset's shipped VAE and
    the run's seed, so a resumed run finds the same ones) and the card's line about them."""
    from ganzoo.models.vae import ConvVAE
    vae_name = f"{args.dataset}-vae"
    folder = checkpoints.WEIGHTS_DIR / vae_name
    vae = checkpoints.load_folder(ConvVAE, folder)
    digest = hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()[:12]
    assign = vae_clusters(vae, images, args.clusters, seed=args.seed)
    fact = cards.clusters_fact(args.clusters, args.seed, vae_name, digest, purity(assign, labels))
    print(fact)
    return assign, fact


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
