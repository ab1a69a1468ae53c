"""Training CLI: `python -m ganzoo.train KIND [flags]`, one subcommand per kind of model: the 28x28 GANs
(dense, dcgan, conditional, stylegan) and vae and classifier, on MNIST or Fashion-MNIST (--dataset fashion);
cyclegan and painting-judge on monet2photo. `python -m ganzoo.train KIND --help` lists a kind's flags
(ganzoo.training.commands.<kind>); a card's words are in ganzoo.training.cards.

Seeded, resumable (a training_state.pt beside the checkpoint, saved every epoch and loaded with
weights_only=True), writes a Hub-layout folder whose model card records the exact command, and
publishes it with --push-to-hub. The GANs also train on several processes:
`torchrun --nproc_per_node=N -m ganzoo.train dcgan ...` (DistributedDataParallel; ganzoo.training.distributed).
"""

import sys

import torch

from ganzoo.runtime.device import training_precision
from ganzoo.training import commands, distributed
from ganzoo.training.commands.options import Invocation


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args, refuse = commands.parse(argv, __doc__)
    if args.threads:
        torch.set_num_threads(args.threads)
    kind = commands.KINDS[args.model]
    world = distributed.join()  # one process, or this one's place in a torchrun job
    if world.size > 1 and not kind.DISTRIBUTED:
        distributed.leave(world)
        refuse(f"{args.model} trains on one process (on the GPU when there is one); torchrun is for the GANs")
    precision, why = training_precision(args.precision, world.device)  # the device, resolved once, here
    if why:
        print(why)
    kind.run(args, Invocation(argv, world, precision, refuse))


if __name__ == "__main__":
    main()
    distributed.end_worker()
