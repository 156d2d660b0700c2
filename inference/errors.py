"""One exception root; user errors (bad input, bad config) are kept apart from internal errors."""

from __future__ import annotations


class GiaError(Exception):
    """Root of every error gia-extract raises on purpose."""


class UserError(GiaError):
    """Something the user can fix: a bad file, a bad option, a missing model."""


class ReadError(UserError):
    """A report file could not be read (empty, binary, undecodable, unsupported type)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class MissingDependency(ReadError):
    """A report needs an optional library that is not installed: the environment's fault, not the file's.

    Never stored as the file's result, so installing the library and rerunning reads it.
    """


class AnnotationError(UserError):
    """An annotation file disagrees with itself (offsets vs text, unknown label, bad JSON)."""
