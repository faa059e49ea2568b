"""The RQ side of `scripts/bench stage`: the function every job runs."""


def noop(payload: str) -> None:
    """Receives a message of the benchmark's payload size and does nothing with it."""
