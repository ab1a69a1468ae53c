"""How the library runs: the device-and-precision policy, seeds, per-visitor limits, the words."""
