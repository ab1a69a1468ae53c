"""What comes in and goes out: checkpoints, images, visitor inputs, training data."""
