"""papershelf: a keyboard-driven terminal reading-list manager for ML paper dumps."""

__version__ = "0.1.0"
