"""Every loss, metric and small optimiser, once."""
