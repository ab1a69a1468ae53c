"""Memory and cores shared by every visitor of one server process: freed heap handed back to the
system, and slots for the heavy computations."""

import contextlib
import ctypes
import threading

import streamlit as st

from ganzoo.runtime import limits


@st.cache_resource(show_spinner=False)
def _libc():
    """glibc (None on other C libraries). Streamlit runs every script run on a new thread and glibc
    gives threads malloc arenas of their own (up to 8 per core), each keeping the pages its thread
    freed: the server's resident memory then climbs with every visitor (tests/browser/test_soak.py)
    unless they are handed back. Capping the arenas (MALLOC_ARENA_MAX) must happen before Streamlit
    starts its threads, so it is the operator's choice (README, "Deploying"), not the app's."""
    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim  # noqa: B018 - glibc only
        return libc
    except (AttributeError, OSError):
        return None


def release_freed_memory() -> None:
    """Hand heap pages that earlier visitors' sessions freed back to the system."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


class HeavyWorkSlots(threading.BoundedSemaphore):
    """At most n heavy computations at once. Giving a slot back also hands the pages the work freed
    (its activations) back to the system: otherwise each script thread's malloc arena keeps them, and
    eight visitors translating at once left the server 1.5x larger (tests/browser/test_concurrency.py)."""

    def release(self, n: int = 1) -> None:
        super().release(n)
        release_freed_memory()


@st.cache_resource(show_spinner=False)
def heavy_work_slots() -> HeavyWorkSlots:
    """One per server process: at most limits.heavy_jobs() heavy computations (CycleGAN
    translations) run at once, so one large upload cannot take every core from the other
    visitors; the others wait their turn."""
    return HeavyWorkSlots(limits.heavy_jobs())


HEAVY_WAIT_SECONDS = 300  # how long a visitor waits for another's heavy work before being told to retry


def with_heavy_work_slot(work, busy: str, waiting: str | None = None, timeout: float = HEAVY_WAIT_SECONDS) -> bool:
    """work() run holding one of the server's heavy-work slots, waiting for one (under a spinner
    saying `waiting`, if given) while other visitors' work holds them all; False, and a warning
    saying `busy`, when the wait ran out."""
    slots = heavy_work_slots()
    held = slots.acquire(blocking=False)
    try:  # entered at once: a rerun raised by any Streamlit call below must still give the slot back
        if not held:
            with st.spinner(waiting) if waiting else contextlib.nullcontext():
                held = slots.acquire(timeout=timeout)
            if not held:
                st.warning(busy)
                return False
        work()
        return True
    finally:
        if held:
            slots.release()
