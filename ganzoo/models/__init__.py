"""The networks, as plain nn.Modules (with the Hub mixin where they are saved): the 2x2 toy GAN,
the MNIST family, the CycleGAN family and the training lab's MLPs. Nothing here knows about devices."""
