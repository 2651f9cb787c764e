"""The question-bank format: its models, loading with ``extends``, cross-checks, the condition language,
citations and the shared libraries (legal sources, destination profiles)."""
