"""Evaluating an assessment: the one ``evaluate`` every shell consumes, which questions are shown, gap scoring
and GB/T 39335 risk levels, consistency checks, and the findings they produce."""
