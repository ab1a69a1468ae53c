"""The compact CycleGAN (Monet paintings <-> photos): its ten flags are its own, as in the authors'
models/cycle_gan_model.py (modify_commandline_options)."""

from pathlib import Path

from ganzoo.io import checkpoints
from ganzoo.io.data import DEFAULT_ROOT, load_image_folder
from ganzoo.training import cards, snapshots
from ganzoo.training.commands import options
from ganzoo.training.commands.command_log import run_commands
from ganzoo.training.commands.publish import save_and_push
from ganzoo.training.commands.warm_start import warm_start

KINDS = ("cyclegan",)
DISTRIBUTED = False
SUMMARIES = {"cyclegan": "the compact CycleGAN, Monet paintings <-> photos"}


def add_arguments(parser, kind) -> None:
    options.add_common(parser, DEFAULT_ROOT / "monet2photo", "a folder with trainA/trainB (testA/testB)")
    options.add_init_from(parser)
    options.add_precision(parser)
    parser.set_defaults(batch_size=1, lr=2e-4)
    parser.add_argument("--iterations", type=int, default=6000, help="generator steps")
    parser.add_argument("--ngf", type=int, default=16, help="generator width (official: 64)")
    parser.add_argument("--blocks", type=int, default=6, help="residual blocks (official: 9)")
    parser.add_argument("--colour", action="store_true",
                        help="each generator adds back its input's mean colour, which its first InstanceNorm "
                             "removes (ganzoo.models.cyclegan; not in the authors' layout)")
    parser.add_argument("--cycle-weight", type=float, default=10.0, help="weight of the cycle loss (the paper's 10)")
    parser.add_argument("--identity-weight", type=float, default=0.5,
                        help="weight of the identity loss, as a fraction of the cycle weight (the paper's 0.5)")
    parser.add_argument("--ndf", type=int, default=32, help="critic width (official: 64)")
    parser.add_argument("--upsample", choices=["transpose", "resize"], default="transpose",
                        help="the authors' transposed convolutions, or resize-convolutions (no checkerboard)")
    parser.add_argument("--crop", type=int, default=128, help="training crop size")
    parser.add_argument("--snapshot-every", type=int, default=500,
                        help="save the fixed images' translations every N iterations (0: never)")


def run(args, invocation) -> None:
    from ganzoo.training.cyclegan import train_cyclegan
    out = Path(args.out or checkpoints.WEIGHTS_DIR / cards.NAMES["cyclegan"])
    data = Path(args.data)
    train_a, train_b = load_image_folder(data / "trainA"), load_image_folder(data / "trainB")
    model = build(args, invocation.refuse)
    commands = run_commands(out, invocation.argv, args.init_from)
    history, elapsed = train_cyclegan(model, train_a, train_b, iterations=args.iterations,
                                      batch_size=args.batch_size, crop=args.crop, lr=args.lr, seed=args.seed,
                                      out=out, on_save=snapshotter(out, args.snapshot_every),
                                      device=invocation.world.device, precision=invocation.precision,
                                      lambda_cycle=args.cycle_weight, lambda_identity=args.identity_weight)
    card = cards.cyclegan_card(args, commands, (len(train_a), len(train_b)), history, elapsed, invocation.world,
                               invocation.precision, snapshots.listed(out), snapshots.FOLDER)
    save_and_push(model, out, card, args.push_to_hub)


def build(args, refuse):
    """The CycleGAN of these flags; with --init-from, an earlier run's weights in it (a transposed run's
    upsampling turned into resize-convolutions, or a colour path added at zero)."""
    from ganzoo.models.cyclegan import CycleGAN, ResizeConv2d, resize_from_transposed
    model = CycleGAN(ngf=args.ngf, n_blocks=args.blocks, ndf=args.ndf, upsample=args.upsample, colour=args.colour)
    if not args.init_from:
        return model
    source = checkpoints.load_folder(CycleGAN, args.init_from)  # fresh optimizers and schedule
    if any(isinstance(m, ResizeConv2d) for m in model.G_AB.model) and not any(
            isinstance(m, ResizeConv2d) for m in source.G_AB.model):
        for name in ("G_AB", "G_BA"):
            resize_from_transposed(getattr(model, name), getattr(source, name))
        for name in ("D_A", "D_B"):
            getattr(model, name).load_state_dict(getattr(source, name).state_dict())
    else:  # the same network, or the same plus a colour path, which starts at zero
        warm_start(model, source.state_dict(), args.init_from, refuse, new=lambda k: ".colour." in k,
                   hint="; give its --ngf, --blocks and --ndf, and --colour if it has one")
    return model


def snapshotter(out, every):
    """The callback that saves the weights so far (a run can be judged mid-way) and, every `every`
    iterations, the fixed images' translations (learning over time, for the CycleGAN page)."""
    def snapshot(trained, iteration):
        trained.save_pretrained(out)
        if every and iteration % every == 0:
            snapshots.write(trained, out, iteration)
    return snapshot
