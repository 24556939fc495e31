"""One exception root. The CLI turns each into one line and an exit code."""

from __future__ import annotations


class GuardError(Exception):
    """Root of every error guard raises on purpose."""

    exit_code = 1


class InputError(GuardError):
    """A file or argument a user gave cannot be used: says which, what is wrong, what to do."""

    def __init__(self, source: str, problem: str, fix: str = "") -> None:
        self.source = source
        self.problem = problem
        self.fix = fix
        message = f"{source}: {problem}"
        if fix:
            message += f"; {fix}"
        super().__init__(message)


class AwsAccessError(GuardError):
    """AWS could not be reached or refused a call the whole run depends on: nothing checked."""

    exit_code = 3
