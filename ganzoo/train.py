"""Training CLI: `python -m ganzoo.train {dense,dcgan,conditional,classifier} --out weights/NAME`.

Seeded, resumable (a training_state.pt beside the checkpoint, saved every epoch and loaded with
weights_only=True), writes a Hub-layout folder whose model card records the exact command.
"""

import argparse
import shlex
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from tqdm import tqdm

from . import checkpoints
from .data import DEFAULT_ROOT, load_mnist
from .mnist import MnistClassifier, MnistGAN
from .seed import set_seed

STATE_FILE = "training_state.pt"

GAN_DEFAULTS = {  # per architecture: what measured best on this project's CPU runs
    "dense": dict(epochs=10, batch_size=256, lr=2e-4, latent_dim=100, width=32, smooth=0.9),
    "dcgan": dict(epochs=15, batch_size=128, lr=2e-4, latent_dim=64, width=32, smooth=0.9),
    "conditional": dict(epochs=15, batch_size=128, lr=2e-4, latent_dim=64, width=32, smooth=0.9),
}


def discriminator_loss(real_logits, fake_logits, smooth=1.0):
    """Binary cross-entropy: -log D(x) - log(1 - D(G(z))), real labels smoothed to `smooth`."""
    real = F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, smooth))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def generator_loss(fake_logits):
    """The non-saturating loss -log D(G(z))."""
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def gan_step(model, opt_g, opt_d, real, labels, generator, smooth, bf16=False):
    """One discriminator step then one generator step; returns (loss_d, loss_g). With bf16, the
    forward passes run under bf16 autocast (weights, gradients and Adam stay fp32)."""
    n = real.shape[0]
    z = model.sample_noise(n, generator)
    fake_labels = torch.randint(0, 10, (n,), generator=generator) if model.conditional else None
    amp = torch.autocast(real.device.type, dtype=torch.bfloat16, enabled=bf16)
    with amp:
        fake = model(z, fake_labels)
        loss_d = discriminator_loss(model.discriminate(real, labels),
                                    model.discriminate(fake.detach(), fake_labels), smooth)
    opt_d.zero_grad(set_to_none=True)
    loss_d.backward()
    opt_d.step()
    with amp:
        loss_g = generator_loss(model.discriminate(fake, fake_labels))
    opt_g.zero_grad(set_to_none=True)
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()


def train_gan(model, images, labels, *, epochs, batch_size, lr, seed, smooth, d_lr=None, out=None, bf16=False,
              log=print):
    """Adam(betas=(0.5, 0.999)) on both networks, D at d_lr (default lr); resumes from out/training_state.pt.
    Convolution weights are channels_last, oneDNN's fast layout (1.4x here, benchmarks/training.py)."""
    set_seed(seed)
    model.to(memory_format=torch.channels_last)
    generator = torch.Generator().manual_seed(seed)
    opt_g = torch.optim.Adam(model.generator.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(model.discriminator.parameters(), lr=d_lr or lr, betas=(0.5, 0.999))
    history, start_epoch, elapsed = [], 0, 0.0
    state_path = Path(out) / STATE_FILE if out else None
    state = checkpoints.load_training_state(state_path) if state_path else None
    if state:
        model.load_state_dict(state["model"])
        opt_g.load_state_dict(state["opt_g"])
        opt_d.load_state_dict(state["opt_d"])
        # The learning rates asked for now apply from here on (a resumed run may lower them).
        for opt, rate in ((opt_g, lr), (opt_d, d_lr or lr)):
            for group in opt.param_groups:
                group["lr"] = rate
        generator.set_state(state["rng"])
        history, start_epoch, elapsed = state["history"], state["epoch"], state["elapsed"]
        log(f"resuming after epoch {start_epoch}")
    model.train()
    for epoch in range(start_epoch, epochs):
        t0 = time.perf_counter()
        order = torch.randperm(len(images), generator=generator)
        steps = len(images) // batch_size
        sums = [0.0, 0.0]
        bar = tqdm(range(steps), desc=f"epoch {epoch + 1}/{epochs}", leave=False, mininterval=5)
        for i in bar:
            idx = order[i * batch_size:(i + 1) * batch_size]
            ld, lg = gan_step(model, opt_g, opt_d, images[idx], labels[idx], generator, smooth, bf16)
            sums[0] += ld
            sums[1] += lg
        elapsed += time.perf_counter() - t0
        history.append({"epoch": epoch + 1, "loss_d": sums[0] / steps, "loss_g": sums[1] / steps})
        log(f"epoch {epoch + 1}: loss_d {sums[0] / steps:.3f} loss_g {sums[1] / steps:.3f} ({elapsed:.0f}s)")
        if state_path:
            checkpoints.save_training_state(state_path, dict(
                model=model.state_dict(), opt_g=opt_g.state_dict(), opt_d=opt_d.state_dict(),
                rng=generator.get_state(), history=history, epoch=epoch + 1, elapsed=elapsed))
    model.eval()
    return history, elapsed


def _shift(x, generator, pixels=2):
    """Random translations by up to `pixels`: the augmentation the classifier trains with."""
    padded = F.pad(x, (pixels,) * 4, value=-1.0)
    dx, dy = torch.randint(0, 2 * pixels + 1, (2,), generator=generator).tolist()
    return padded[:, :, dy:dy + x.shape[2], dx:dx + x.shape[3]]


@torch.no_grad()
def accuracy(model, images, labels, batch_size=1000):
    model.eval()
    correct = sum((model(images[i:i + batch_size]).argmax(1) == labels[i:i + batch_size]).sum().item()
                  for i in range(0, len(images), batch_size))
    return correct / len(images)


def train_classifier(model, images, labels, *, epochs, batch_size, lr, seed, out=None, log=print):
    set_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    steps = len(images) // batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps)
    start_epoch, elapsed = 0, 0.0
    state_path = Path(out) / STATE_FILE if out else None
    state = checkpoints.load_training_state(state_path) if state_path else None
    if state:
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        generator.set_state(state["rng"])
        start_epoch, elapsed = state["epoch"], state["elapsed"]
    for epoch in range(start_epoch, epochs):
        t0 = time.perf_counter()
        model.train()
        order = torch.randperm(len(images), generator=generator)
        for i in tqdm(range(steps), desc=f"epoch {epoch + 1}/{epochs}", leave=False, mininterval=5):
            idx = order[i * batch_size:(i + 1) * batch_size]
            loss = F.cross_entropy(model(_shift(images[idx], generator)), labels[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        elapsed += time.perf_counter() - t0
        log(f"epoch {epoch + 1}: loss {loss.item():.4f} ({elapsed:.0f}s)")
        if state_path:
            checkpoints.save_training_state(state_path, dict(
                model=model.state_dict(), opt=opt.state_dict(), sched=sched.state_dict(),
                rng=generator.get_state(), epoch=epoch + 1, elapsed=elapsed))
    model.eval()
    return elapsed


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
    "classifier": ("MNIST classifier (the judge)",
                   "A small CNN (four 3x3 convolutions with BatchNorm, two max-pools, a 128-d "
                   "penultimate layer) trained with random 2-pixel shifts. It judges generated digits: "
                   "Inception Score, Frechet distance on its 128-d features, class histograms.", []),
}
NAMES = {"dense": "mnist-dense", "dcgan": "mnist-dcgan", "conditional": "mnist-cgan",
         "classifier": "mnist-classifier", "cyclegan": "cyclegan-monet-compact", "painting-judge": "painting-judge"}


def train_painting_judge(model, paintings, photos, *, epochs, batch_size, lr, seed, log=print):
    """Balanced batches (half paintings, half photos) of random 128x128 crops at the images'
    own scale, randomly flipped: the judge learns brushwork, not composition."""
    from .data import random_crops
    set_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-3)
    half = batch_size // 2
    steps = len(photos) // half
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * steps)
    model.train()
    start = time.perf_counter()
    for epoch in range(epochs):
        for _ in range(steps):
            xa = random_crops(paintings, torch.randint(0, len(paintings), (half,), generator=gen), 128, gen)
            xb = random_crops(photos, torch.randint(0, len(photos), (half,), generator=gen), 128, gen)
            y = torch.cat([torch.ones(half), torch.zeros(half)])
            loss = F.binary_cross_entropy_with_logits(model(torch.cat([xa, xb])), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
        log(f"epoch {epoch + 1}: loss {loss.item():.4f}")
    model.eval()
    return time.perf_counter() - start


@torch.no_grad()
def judge_accuracy(model, paintings, photos) -> tuple[float, float]:
    """Share of real paintings judged paintings, share of real photos judged photos."""
    model.eval()
    to_float = lambda x: x.float() / 127.5 - 1  # noqa: E731
    return ((model(to_float(paintings)) > 0).float().mean().item(),
            (model(to_float(photos)) <= 0).float().mean().item())


def this_command(argv) -> str:
    return "python -m ganzoo.train " + " ".join(shlex.quote(a) for a in argv)


def card_commands(folder, argv) -> list:
    """The commands recorded in `folder`'s card (a resumed or warm-started run lists every one, in
    order), followed by this one unless it is the same as the last."""
    before = checkpoints.read_card(folder).get("training", {})
    commands = before.get("commands", [before["command"]] if "command" in before else [])
    command = this_command(argv)
    return commands if commands and commands[-1] == command else commands + [command]


def main_cyclegan(args, argv, out):
    from .cyclegan import CycleGAN, PaintingClassifier
    from .cyclegan_train import train_cyclegan
    from .data import load_image_folder
    data = Path(args.data)
    train_a, train_b = load_image_folder(data / "trainA"), load_image_folder(data / "trainB")
    if args.model == "painting-judge":
        model = PaintingClassifier()
        elapsed = train_painting_judge(model, train_a, train_b, epochs=args.epochs or 15,
                                       batch_size=args.batch_size or 32, lr=args.lr or 3e-3, seed=args.seed)
        acc_a, acc_b = judge_accuracy(model, load_image_folder(data / "testA"), load_image_folder(data / "testB"))
        card = {"name": out.name, "title": "Painting-or-photo judge",
                "description": "A small CNN that tells Monet paintings from landscape photos; it judges the "
                               "CycleGAN translations (share of translated photos it takes for paintings).",
                "tags": ["ganzoo", "classifier", "monet2photo"],
                "training": {"command": this_command(argv),
                             "data": f"{data} trainA ({len(train_a)} paintings) / trainB ({len(train_b)} photos)",
                             "time": f"{elapsed / 60:.1f} min", "seed": args.seed,
                             "test accuracy": f"paintings {acc_a:.3f}, photos {acc_b:.3f} (testA / testB)"}}
    else:
        model = CycleGAN(ngf=args.ngf, n_blocks=args.blocks, ndf=args.ndf)
        if args.init_from:  # warm start: the weights of an earlier run, fresh optimizers and schedule
            model = checkpoints.load_folder(CycleGAN, args.init_from)
        commands = card_commands(args.init_from, argv) if args.init_from else [this_command(argv)]
        history, elapsed = train_cyclegan(model, train_a, train_b, iterations=args.iterations,
                                          batch_size=args.batch_size or 1, crop=args.crop, lr=args.lr or 2e-4,
                                          seed=args.seed, out=out)
        card = {"name": out.name, "title": "Compact CycleGAN: Monet paintings <-> photos",
                "description": f"Both generators (G_AB painting -> photo, G_BA photo -> painting) and both "
                               f"PatchGAN critics, in the layout of the CycleGAN authors' code but compact "
                               f"(ngf={args.ngf}, {args.blocks} residual blocks) so it trains and runs on a CPU. "
                               "Recipe of the paper: least-squares GAN loss, cycle weight 10, identity 0.5 x "
                               "cycle, a 50-image pool, linear learning-rate decay over the second half.",
                "tags": ["ganzoo", "cyclegan", "monet2photo", "image-to-image"],
                "training": {"command": "\n".join(commands), "commands": commands,
                             "data": f"monet2photo: {len(train_a)} Monet paintings (trainA), {len(train_b)} photos "
                                     f"(trainB), random {args.crop}x{args.crop} crops of the 256x256 images",
                             "iterations": args.iterations, "batch size": args.batch_size or 1,
                             "time": f"{elapsed / 60:.1f} min on {torch.get_num_threads()} CPU threads",
                             "final losses": history[-1] if history else {}, "seed": args.seed}}
    checkpoints.save(model, out, card)
    print(f"wrote {out}")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    p = argparse.ArgumentParser(prog="python -m ganzoo.train", description=__doc__)
    p.add_argument("model", choices=["dense", "dcgan", "conditional", "classifier", "cyclegan", "painting-judge"])
    p.add_argument("--iterations", type=int, default=6000, help="cyclegan: generator steps")
    p.add_argument("--ngf", type=int, default=16, help="cyclegan: generator width (official: 64)")
    p.add_argument("--blocks", type=int, default=6, help="cyclegan: residual blocks (official: 9)")
    p.add_argument("--ndf", type=int, default=32, help="cyclegan: critic width (official: 64)")
    p.add_argument("--crop", type=int, default=128, help="cyclegan: training crop size")
    p.add_argument("--init-from", help="cyclegan: start from this checkpoint folder's weights")
    p.add_argument("--data", default=None, help="MNIST: folder holding MNIST/raw; cyclegan: a folder with "
                                                "trainA/trainB (testA/testB)")
    p.add_argument("--out", help="checkpoint folder (default weights/<name>)")
    p.add_argument("--epochs", type=int)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--lr", type=float)
    p.add_argument("--d-lr", type=float, help="discriminator learning rate (default: --lr)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, help="torch CPU threads")
    p.add_argument("--bf16", action="store_true", help="GANs: bf16 autocast forward passes (2x faster on CPUs "
                                                       "with native bf16; benchmarks/training.py)")
    p.add_argument("--limit", type=int, help="train on the first N images only (smoke tests)")
    p.add_argument("--push-to-hub", metavar="REPO", help="also publish the folder to this Hub repo")
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    name = NAMES[args.model]
    out = Path(args.out or checkpoints.WEIGHTS_DIR / name)
    if args.model in ("cyclegan", "painting-judge"):
        args.data = args.data or str(DEFAULT_ROOT / "monet2photo")
        return main_cyclegan(args, argv, out)
    args.data = args.data or str(DEFAULT_ROOT)
    images, labels = load_mnist(args.data, train=True)
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    title, description, notes = DESCRIPTIONS[args.model]
    if args.model == "classifier":
        cfg = dict(epochs=args.epochs or 8, batch_size=args.batch_size or 128, lr=args.lr or 3e-3)
        model = MnistClassifier()
        elapsed = train_classifier(model, images, labels, seed=args.seed, out=out, **cfg)
        test_images, test_labels = load_mnist(args.data, train=False)
        extra = {"test accuracy": f"{accuracy(model, test_images, test_labels):.4f} (10,000 MNIST test images)"}
    else:
        d = GAN_DEFAULTS[args.model]
        cfg = dict(epochs=args.epochs or d["epochs"], batch_size=args.batch_size or d["batch_size"],
                   lr=args.lr or d["lr"], d_lr=args.d_lr or d.get("d_lr") or args.lr or d["lr"], smooth=d["smooth"])
        model = MnistGAN(args.model, latent_dim=d["latent_dim"], width=d["width"])
        history, elapsed = train_gan(model, images, labels, seed=args.seed, out=out, bf16=args.bf16, **cfg)
        extra = {"final losses": f"D {history[-1]['loss_d']:.3f}, G {history[-1]['loss_g']:.3f}"}
    commands = card_commands(out, argv)
    card = {
        "name": name, "title": title, "description": description, "notes": notes,
        "tags": ["ganzoo", "mnist"] + (["gan"] if args.model != "classifier" else ["classifier"]),
        "training": {
            "command": "\n".join(commands),  # a resumed run lists every command, in order
            "commands": commands,
            "data": f"MNIST training set, {len(images):,} images (../shared/data/MNIST)",
            "epochs": cfg["epochs"], "batch size": cfg["batch_size"], "learning rate": cfg["lr"],
            **({"discriminator learning rate": cfg["d_lr"]} if cfg.get("d_lr") not in (None, cfg["lr"]) else {}),
            "seed": args.seed, "time": f"{elapsed / 60:.1f} min on {torch.get_num_threads()} CPU threads",
            "torch": torch.__version__, **extra,
        },
    }
    checkpoints.save(model, out, card)
    print(f"wrote {out}")
    if args.push_to_hub:
        model.push_to_hub(args.push_to_hub)
        from huggingface_hub import upload_folder
        upload_folder(repo_id=args.push_to_hub, folder_path=str(out), allow_patterns=["README.md", "card.json"])


if __name__ == "__main__":
    main()
