"""Does bf16 autocast pay on this CPU? Each network in fp32 eager vs bf16 autocast, same process.

python -m benchmarks.precision   (benchmarks/README.md records the result for the project's machine)
"""


import torch

from benchmarks.timing import median_seconds
from ganzoo.models.mnist import MnistClassifier, MnistGAN


def main():
    torch.manual_seed(0)
    dcgan = MnistGAN("dcgan").eval()
    classifier = MnistClassifier().eval()
    z = torch.randn(64, dcgan.latent_dim)
    x = torch.randn(64, 1, 28, 28)
    conv = torch.nn.Sequential(torch.nn.Conv2d(64, 64, 3, padding=1), torch.nn.ReLU(),
                               torch.nn.Conv2d(64, 64, 3, padding=1)).eval()
    big = torch.randn(1, 64, 256, 256)
    cases = [("DCGAN generator, 64 samples", lambda: dcgan(z)),
             ("MNIST classifier, 64 images", lambda: classifier(x)),
             ("two 3x3 convs 64ch at 256x256", lambda: conv(big))]
    print(f"{'case':36s} {'fp32 ms':>9s} {'bf16 ms':>9s} {'fp32/bf16':>10s}")
    with torch.inference_mode():
        for name, fn in cases:
            fp32 = median_seconds(fn)

            def bf16():
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    fn()
            b = median_seconds(bf16)
            print(f"{name:36s} {fp32 * 1e3:9.2f} {b * 1e3:9.2f} {fp32 / b:9.2f}x")


if __name__ == "__main__":
    main()
