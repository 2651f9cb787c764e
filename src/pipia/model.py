"""The base of every model read at a boundary: an unknown field is an error, and values are frozen."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base of the project's pydantic models: unknown fields are an error (a typo in a bank or answers file is reported)
    and instances are immutable.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
