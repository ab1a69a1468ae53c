"""MNIST networks: the course's dense GAN, a DCGAN, a conditional GAN and the judge classifier.

Each GAN is saved as one Hub-layout folder holding its generator and its discriminator
(`MnistGAN`, keys `generator.*` / `discriminator.*`); `config.json` holds the constructor
arguments, so `MnistGAN.from_pretrained(folder_or_repo)` rebuilds the right network.
"""

import torch
import torch.nn.functional as F
from huggingface_hub import PyTorchModelHubMixin
from torch import nn

IMAGE_SHAPE = (1, 28, 28)
NUM_CLASSES = 10


# --- The course's Keras GAN, rebuilt -------------------------------------------------------

class DenseGenerator(nn.Module):
    """Dense(100) -> 128 -> 128 -> 256 -> 784, LeakyReLU(0.01), tanh (course, deck 3)."""

    def __init__(self, latent_dim=100, slope=0.01):
        super().__init__()
        act = lambda: nn.LeakyReLU(slope)  # noqa: E731
        self.net = nn.Sequential(
            nn.Linear(latent_dim, 100),
            nn.Linear(100, 128), act(),
            nn.Linear(128, 128), act(),
            nn.Linear(128, 256), act(),
            nn.Linear(256, 784), nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z).view(-1, *IMAGE_SHAPE)


class SkippingDenseGenerator(nn.Module):
    """The course's generator trained with the slip its discriminator's `call` has: dense_2 and
    dense_3 built but never called, and the LeakyReLUs applied one after another as that `call`
    does (leaky_1, leaky_2, leaky_3, leaky_3): Dense(100) -> Dense(128) -> LeakyReLU(0.01) x4 ->
    Dense(784), tanh. Keras creates a layer's weights on its first call, so such a file has none for
    the two skipped layers (ganzoo/inference/keras_course.py tells the two apart by that)."""

    def __init__(self, latent_dim=100, slope=0.01):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(latent_dim, 100),
            nn.Linear(100, 128), *(nn.LeakyReLU(slope) for _ in range(4)),
            nn.Linear(128, 784), nn.Tanh(),
        )

    def forward(self, z):
        return self.net(z).view(-1, *IMAGE_SHAPE)


class DenseDiscriminator(nn.Module):
    """Dense(784) -> three Dense(128) + LeakyReLU(0.01) -> one logit.

    The course's Keras `call` applies dense_1 and then its LeakyReLUs straight to the logits, so
    dense_2 and dense_3 are built but never used; this is the network it meant to build.
    """

    def __init__(self, slope=0.01):
        super().__init__()
        act = lambda: nn.LeakyReLU(slope)  # noqa: E731
        self.net = nn.Sequential(
            nn.Linear(784, 784),
            nn.Linear(784, 128), act(),
            nn.Linear(128, 128), act(),
            nn.Linear(128, 128), act(),
            nn.Linear(128, 1),
        )

    def forward(self, x):
        return self.net(x.flatten(1)).squeeze(1)


# --- DCGAN and its conditional twin ---------------------------------------------------------

class DCGANGenerator(nn.Module):
    """z (N, latent) [+ one-hot label] -> 7x7 -> 14x14 -> 28x28 with transposed convolutions."""

    def __init__(self, latent_dim=64, width=64, num_classes=0):
        super().__init__()
        self.num_classes = num_classes
        w = width
        self.net = nn.Sequential(
            nn.ConvTranspose2d(latent_dim + num_classes, 4 * w, 7, 1, 0, bias=False),
            nn.BatchNorm2d(4 * w), nn.ReLU(True),
            nn.ConvTranspose2d(4 * w, 2 * w, 4, 2, 1, bias=False),
            nn.BatchNorm2d(2 * w), nn.ReLU(True),
            nn.ConvTranspose2d(2 * w, 1, 4, 2, 1),
            nn.Tanh(),
        )

    def forward(self, z, labels=None):
        """labels: digits (N,) or soft label vectors (N, classes), e.g. to morph between digits."""
        if self.num_classes:
            onehot = (
                labels.to(z.dtype) if labels.is_floating_point() else F.one_hot(labels, self.num_classes).to(z.dtype)
            )
            z = torch.cat([z, onehot], dim=1)
        return self.net(z[:, :, None, None])


class DCGANDiscriminator(nn.Module):
    """28x28 -> strided convolutions -> one logit.

    head says how the last layer reads the 7x7 features:
    - "plain": only the features (a conditional D, with every head, also takes the label as ten
      constant planes beside the image);
    - "minibatch-std": one more map, the features' spread over a group of images (Karras et al.
      2018), so a generator that repeats itself is caught;
    - "projection" (conditional): the label's learned embedding dotted with the pooled features
      is added to the logit (Miyato and Koyama 2018), so D judges "is this a real 4?" directly,
      not only through input planes it may learn to ignore. The embedding starts at zero, so a
      trained "plain" conditional D warm-starts it unchanged. (Alone, without the planes, it left
      the generator ignoring the label: 14% label accuracy after 5 epochs.)
    - "auxiliary" (conditional; AC-GAN, Odena, Olah and Shlens 2017): D sees the image alone and
      also names its class; G is trained to make that class the one it was asked for.

    norm says how D is kept in check: "batch" (DCGAN's batch normalisation in the middle layer) or
    "spectral" (Miyato et al. 2018: every layer's weight divided by its largest singular value,
    estimated by one power iteration a step, so D is about 1-Lipschitz and its gradients to G stay
    informative; no batch normalisation, which SN-GAN's discriminators leave out).
    """

    HEADS = ("plain", "minibatch-std", "projection", "auxiliary")
    NORMS = ("batch", "spectral")

    def __init__(self, width=64, num_classes=0, head="plain", norm="batch"):
        super().__init__()
        if head not in self.HEADS:
            raise ValueError(f"unknown discriminator head {head!r}")
        if norm not in self.NORMS:
            raise ValueError(f"unknown discriminator norm {norm!r}")
        if head in ("projection", "auxiliary") and not num_classes:
            raise ValueError(f"a {head} discriminator needs classes")
        self.num_classes, self.head = num_classes, head
        planes = 0 if head == "auxiliary" else num_classes  # its class head must not read the label
        w = width
        spectral = norm == "spectral"
        self.net = nn.Sequential(  # the layer indices of the shipped "plain" checkpoints
            nn.Conv2d(1 + planes, w, 4, 2, 1),
            nn.LeakyReLU(0.2, True),
            nn.Conv2d(w, 2 * w, 4, 2, 1, bias=spectral),
            nn.Identity() if spectral else nn.BatchNorm2d(2 * w), nn.LeakyReLU(0.2, True),
            nn.Conv2d(2 * w + (head == "minibatch-std"), 1, 7, 1, 0),
        )
        if head == "projection":
            self.embed = nn.Embedding(num_classes, 2 * w)
            nn.init.zeros_(self.embed.weight)
        if head == "auxiliary":
            self.classify = nn.Linear(2 * w * 7 * 7, num_classes)  # where the strokes are matters
        if spectral:
            # The projection embedding starts at zero (no singular value to divide by) and stays free.
            for layer in (*self.net, getattr(self, "classify", None)):
                if isinstance(layer, (nn.Conv2d, nn.Linear)):
                    nn.utils.parametrizations.spectral_norm(layer)

    def forward(self, x, labels=None, classes=False):
        """The real-or-fake logit (N,); with classes=True (auxiliary head) also the class logits (N, classes)."""
        if self.num_classes and self.head != "auxiliary":
            h = self.net[1:-1](self.first_layer_with_planes(x, labels))
        else:
            h = self.net[:-1](x)
        if self.head == "minibatch-std":
            h = torch.cat([h, minibatch_std(h)], dim=1)
        logit = self.net[-1](h).flatten()
        if self.head == "projection":
            logit = logit + (self.embed(labels).to(h.dtype) * h.mean((2, 3))).sum(1)
        if classes:
            return logit, self.classify(h.flatten(1))
        return logit

    def first_layer_with_planes(self, x, labels):
        """The first convolution of the image with its label's one-hot planes beside it, computed
        without building the planes: a constant plane's share of the convolution is the same map
        for every image of that label, so each label's map is computed once per call (one
        convolution of a ones image) and picked by label. It equals convolving the concatenated
        planes, but 300 self-conditioning clusters cost about what 10 do, where the planes made the
        first layer 1 + classes times the work."""
        conv, channels = self.net[0], x.shape[1]
        image_part = F.conv2d(x, conv.weight[:, :channels], conv.bias, conv.stride, conv.padding)
        w = conv.weight[:, channels:].transpose(0, 1).reshape(-1, 1, *conv.kernel_size)  # (classes * out, 1, k, k)
        ones = torch.ones(1, 1, *x.shape[2:], dtype=image_part.dtype, device=x.device)
        maps = F.conv2d(ones, w.to(image_part.dtype), None, conv.stride, conv.padding)
        maps = maps.view(self.num_classes, conv.out_channels, *image_part.shape[2:])
        return image_part + maps[labels]


def minibatch_std(x: torch.Tensor, group: int = 4) -> torch.Tensor:
    """One extra feature map: the standard deviation of each feature across a group of images,
    averaged (Karras et al. 2018). A batch of near-identical fakes shows a low value, so D can
    penalise a generator that collapses onto a few images."""
    n, c, h, w = x.shape
    g = min(group, n)
    while n % g:
        g -= 1
    std = x.float().reshape(g, n // g, c, h, w).std(0, unbiased=False).mean((1, 2, 3))  # (n // g,)
    return std.to(x.dtype).repeat(g)[:, None, None, None].expand(n, 1, h, w)


def draw_latents(draw, shape, generator=None, truncation=None):
    """Codes from draw(shape, generator); with truncation > 0, values beyond |truncation| are drawn
    again (the truncation trick), so they keep the prior's shape inside the cut."""
    z = draw(shape, generator)
    if truncation is not None and truncation > 0:
        for _ in range(100):
            bad = z.abs() > truncation
            if not bad.any():
                break
            z = torch.where(bad, draw(z.shape, generator), z)
        z = z.clamp(-truncation, truncation)
    return z


class MnistGAN(nn.Module, PyTorchModelHubMixin):
    """A generator and its discriminator, saved and loaded together.

    arch: "dense" (the course's Keras GAN, uniform noise in [-1, 1]), "dcgan" (Gaussian noise)
    or "conditional" (a DCGAN that also takes the digit); d_head: how the DCGAN discriminator
    reads its features, d_norm: batch or spectral normalisation in it (DCGANDiscriminator).

    codes > 0 (dcgan only) makes it an InfoGAN (Chen et al. 2016): the latent vector ends with a
    one-hot code drawn uniformly from `codes` values, and D's auxiliary head learns to tell which
    code made a fake while G learns to make its code readable. No label is ever used; the hope is
    that each code settles on one kind of image, so G draws separate modes from separate codes
    instead of stretching one Gaussian across ten classes (on MNIST only some codes did: README).

    code_weights (with codes) makes it self-conditioned (Liu et al. 2020): the codes are clusters
    of the training images found without labels (ganzoo.training.clusters), each drawn as often as its
    cluster is large, and D judges each image against its cluster, as the conditional GAN's D
    judges it against its label (the cluster as constant planes beside the image): a real image
    with its own cluster, a fake with the code that drew it. (D naming the cluster instead, as the
    InfoGAN's does, turned clusters that mix two digits into hybrids of both: README.)
    """

    def __init__(self, arch="dcgan", latent_dim=64, width=32, d_head="plain", codes=0, code_weights=None,
                 d_norm="batch"):
        super().__init__()
        if arch not in ("dense", "dcgan", "conditional"):
            raise ValueError(f"unknown arch {arch!r}")
        if codes and arch != "dcgan":
            raise ValueError("only the unconditional DCGAN takes categorical codes")
        if code_weights is not None and len(code_weights) != codes:
            raise ValueError(f"{len(code_weights)} code weights for {codes} codes")
        if arch == "dense" and d_norm != "batch":
            raise ValueError("the dense GAN's discriminator is the course's; d_norm is for the DCGANs")
        if codes and code_weights is None:
            d_head = "auxiliary"  # InfoGAN's Q network: D's body and a head naming the code
        self.arch, self.latent_dim, self.generator_width, self.d_head = arch, latent_dim, width, d_head
        self.d_norm = d_norm
        self.codes = codes
        self.code_weights = None if code_weights is None else [float(w) for w in code_weights]
        if arch == "dense":
            self.generator = DenseGenerator(latent_dim)
            self.discriminator = DenseDiscriminator()
        elif codes:  # an InfoGAN's D names the code; a self-conditioned one reads it (planes)
            self.generator = DCGANGenerator(latent_dim + codes, width)
            self.discriminator = DCGANDiscriminator(width, codes, d_head, d_norm)
        else:
            classes = NUM_CLASSES if arch == "conditional" else 0
            self.generator = DCGANGenerator(latent_dim, width, classes)
            self.discriminator = DCGANDiscriminator(width, classes, d_head, d_norm)

    @property
    def conditional(self) -> bool:
        return self.arch == "conditional"

    @property
    def auxiliary(self) -> bool:
        """D also names the class (AC-GAN) or the code (InfoGAN): the training step adds its class losses."""
        return self.d_head == "auxiliary"

    @property
    def self_conditioned(self) -> bool:
        """The codes are clusters of the real images, and D judges each image with its cluster."""
        return self.code_weights is not None

    @property
    def latent_size(self) -> int:
        """The length of a latent vector: the noise, then the one-hot code if there is one."""
        return self.latent_dim + self.codes

    def code_of(self, z: torch.Tensor) -> torch.Tensor:
        """The categorical code each latent vector carries (N,); an InfoGAN's fakes are judged on it."""
        return z[:, self.latent_dim:].argmax(1)

    def sample_noise(self, n, generator=None, truncation=None):
        """Latent vectors; noise values beyond |truncation| are redrawn (the truncation trick).
        An InfoGAN's code is drawn after the noise, uniformly (a self-conditioned GAN's, as often as
        its cluster is large), and is never truncated."""
        draw = self._draw_uniform if self.arch == "dense" else self._draw_normal
        z = draw_latents(draw, (n, self.latent_dim), generator, truncation)
        if self.codes:
            code = torch.randint(0, self.codes, (n,), generator=generator) if self.code_weights is None else \
                torch.multinomial(torch.tensor(self.code_weights), n, replacement=True, generator=generator)
            z = torch.cat([z, F.one_hot(code, self.codes).to(z.dtype)], dim=1)
        return z

    @staticmethod
    def _draw_normal(shape, generator):
        return torch.randn(shape, generator=generator)

    @staticmethod
    def _draw_uniform(shape, generator):
        return torch.rand(shape, generator=generator) * 2 - 1

    def forward(self, z, labels=None):
        """Images in [-1, 1], shape (N, 1, 28, 28)."""
        if self.conditional:
            if labels is None:
                raise ValueError("the conditional generator needs labels")
            return self.generator(z, labels)
        return self.generator(z)

    def discriminate(self, images, labels=None, classes=False):
        """The discriminator's logits (N,); with classes=True (auxiliary head), also its class logits.
        A self-conditioned D reads each image's cluster in `labels`."""
        if self.conditional or self.self_conditioned:
            return self.discriminator(images, labels, classes=classes)
        return self.discriminator(images, classes=True) if classes else self.discriminator(images)


# --- The judge ---------------------------------------------------------------------------

class MnistClassifier(nn.Module, PyTorchModelHubMixin):
    """A small CNN; its 128-d penultimate layer is the feature space of the Frechet distance."""

    def __init__(self, width=32):
        super().__init__()
        w = width

        def block(cin, cout):
            return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(True)]

        self.features = nn.Sequential(
            *block(1, w), *block(w, w), nn.MaxPool2d(2),
            *block(w, 2 * w), *block(2 * w, 2 * w), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Dropout(0.3),
            nn.Linear(2 * w * 49, 128), nn.BatchNorm1d(128), nn.ReLU(True),
        )
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(128, NUM_CLASSES))

    def forward(self, x):
        """Logits (N, 10) for images in [-1, 1]."""
        return self.head(self.features(x))

    def embed(self, x):
        return self.features(x)


# --- Third-party: the HugGAN sprint's huggan/dcgan-mnist ------------------------------------------

class HugganDCGANGenerator(nn.Module, PyTorchModelHubMixin):
    """The 64x64 DCGAN generator of the HugGAN sprint (huggan/dcgan-mnist), with its exact
    state-dict layout: an nn.Sequential `model` of bias-free transposed convolutions, noise (N, 100, 1, 1)."""

    def __init__(self, num_channels=3, latent_dim=100, hidden_size=64):
        super().__init__()
        h = hidden_size
        layers, cin = [], latent_dim
        for i, cout in enumerate([8 * h, 4 * h, 2 * h, h]):
            layers += [nn.ConvTranspose2d(cin, cout, 4, 1 if i == 0 else 2, 0 if i == 0 else 1, bias=False),
                       nn.BatchNorm2d(cout), nn.ReLU(True)]
            cin = cout
        layers += [nn.ConvTranspose2d(h, num_channels, 4, 2, 1, bias=False), nn.Tanh()]
        self.model = nn.Sequential(*layers)
        self.latent_dim = latent_dim

    def forward(self, z):
        """Images in [-1, 1], (N, num_channels, 64, 64), from noise (N, latent) or (N, latent, 1, 1)."""
        return self.model(z.view(z.shape[0], -1, 1, 1))
