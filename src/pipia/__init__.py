"""pipia: personal information protection impact assessments for outbound transfers from China."""

__version__ = "0.1.0"
