"""Evident: generative AI for clinical work in which every statement shows its evidence."""

__version__ = "0.1.0"

__all__ = ["__version__"]
