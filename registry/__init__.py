"""Municipal quality registry: how local governments adopt quality-management models."""

__version__ = "0.1.0"
