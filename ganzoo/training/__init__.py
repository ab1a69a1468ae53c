"""Training code: GANs (gan), judges (classifier), CycleGAN (cyclegan). The CLI is ganzoo.train: one
command per kind of model in commands/, the words of its model cards in cards."""
