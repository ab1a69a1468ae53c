"""The kinds of model `python -m ganzoo.train` trains, one subcommand each.

Each kind's module registers its own flags (`add_arguments(parser, kind)`) and trains it
(`run(args, invocation)`), as the CycleGAN authors' models own theirs (modify_commandline_options);
the flags they share are registered once, in `options`. A flag another kind owns is refused with
the kinds that take it.
"""

import argparse

from ganzoo.training.commands import classifier, cyclegan, gans, painting_judge, vae

MODULES = (gans, vae, classifier, cyclegan, painting_judge)
KINDS = {kind: module for module in MODULES for kind in module.KINDS}


def build_parser(description=None) -> tuple:
    """(the CLI's parser, {kind: its subcommand's parser})."""
    parser = argparse.ArgumentParser(prog="python -m ganzoo.train", description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="model", metavar="kind", required=True)
    parsers = {}
    for kind, module in KINDS.items():
        parsers[kind] = sub.add_parser(kind, help=module.SUMMARIES[kind], description=module.__doc__)
        module.add_arguments(parsers[kind], kind)
    return parser, parsers


def parse(argv, description=None) -> tuple:
    """(the flags, the chosen kind's refusal): exit status 2 and one line for anything else."""
    parser, parsers = build_parser(description)
    args, extras = parser.parse_known_args(argv)
    refuse = parsers[args.model].error
    if extras:
        refuse(foreign_flag(extras, args.model, parsers) or f"unrecognized arguments: {' '.join(extras)}")
    return args, refuse


def foreign_flag(extras, kind, parsers) -> str:
    """The refusal for the first of `extras` that is another kind's flag ("" when none is)."""
    for extra in extras:
        flag = extra.split("=", 1)[0]
        owners = [k for k, p in parsers.items() if flag.startswith("--") and
                  any(option.startswith(flag) for option in p._option_string_actions)]
        if owners:
            return f"{flag}: for {kinds_phrase(owners)} only; {kind} trains without it"
    return ""


def kinds_phrase(kinds) -> str:
    """"the GANs and cyclegan", "dcgan and conditional": the kinds that own a flag, in words."""
    if set(gans.KINDS) <= set(kinds):
        kinds = ["the GANs"] + [k for k in kinds if k not in gans.KINDS]
    return kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
