"""The route check: the facts, the dated rule sets, the decision with its deadlines, working days, and the
reasons (as data, then in words) an assessment's answers cannot decide it yet."""
