"""Synthetic PHI benchmark: a generator of gold-annotated documents and its scorer."""

from evident.privacy.synth.generator import Doc, annotate_carrier, insert_phi, phi_sentence

__all__ = ["Doc", "annotate_carrier", "insert_phi", "phi_sentence"]
