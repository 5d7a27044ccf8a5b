"""Pure domain model: no I/O, no frameworks beyond pydantic for schemas."""
