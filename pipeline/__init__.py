"""confpack: family-friendly child protection conference documents.

The pipeline: parse (``pipeline.parser``) → lint (``pipeline.lint``) → build each
recipient's document → render → verify → write.
"""
__version__ = "0.1.0"
