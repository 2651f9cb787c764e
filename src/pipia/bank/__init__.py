"""The question-bank format: its models, the ``roles:`` contract naming the questions the code reads, loading
with ``extends`` (and a cache of validated banks), cross-checks, the condition language, citations and the
shared libraries (legal sources, destination profiles)."""
