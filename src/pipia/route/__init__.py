"""The route check: the facts, the dated rule sets, the decision with its deadlines, and working days."""
