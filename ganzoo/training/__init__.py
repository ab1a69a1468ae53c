"""Training code: GANs (gan), judges (classifier), CycleGAN (cyclegan). The CLI is ganzoo.train."""
