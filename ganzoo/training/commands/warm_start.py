"""--init-from: a run that starts from an earlier run's weights, with fresh optimizers."""


def warm_start(model, state: dict, source, refuse, new, hint="") -> None:
    """Load an earlier run's weights into `model` (--init-from `source`); only the keys `new` accepts
    (a part the earlier model lacked) may be missing. Anything else stops the CLI with one line."""
    try:
        missing, unexpected = model.load_state_dict(state, strict=False)
        missing = [k for k in missing if not new(k)]
        problem = f"missing {sorted(missing)}, unexpected {sorted(unexpected)}" if missing or unexpected else ""
    except RuntimeError as e:  # a tensor of another shape
        problem = str(e).splitlines()[1].strip()
    if problem:
        refuse(f"--init-from {source}: its weights do not fit this model ({problem}){hint}")
