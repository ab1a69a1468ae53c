"""The convolutional VAE of the GAN-versus-VAE page, on MNIST or Fashion-MNIST."""

from ganzoo.training import cards
from ganzoo.training.commands import images28

KINDS = ("vae",)
DISTRIBUTED = False
SUMMARIES = {"vae": "a convolutional VAE of the DCGAN's size"}


def add_arguments(parser, kind) -> None:
    images28.add_arguments(parser)
    parser.add_argument("--width", type=int, help="network width (default %(default)s)")
    parser.set_defaults(epochs=20, batch_size=128, lr=1e-3, width=32)


def run(args, invocation) -> None:
    from ganzoo.models.vae import ConvVAE
    from ganzoo.training.vae import elbo_terms, train_vae
    job = images28.start("vae", args, invocation)
    cfg = dict(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr)
    model = ConvVAE(latent_dim=64, width=args.width)
    history, elapsed = train_vae(model, job.images, seed=args.seed, out=job.out, device=invocation.world.device,
                                 **cfg)
    test = elbo_terms(model, job.test_split()[0])
    facts = {**cards.vae_facts(history, test, job.data_label), **cards.run_facts(invocation.world)}
    images28.finish(job, model, cfg, elapsed, invocation.world, facts, history=history)
