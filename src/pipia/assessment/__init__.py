"""Evaluating an assessment: the one evaluation every shell consumes, gap scoring and GB/T 39335 risk
levels, consistency checks, and the findings they produce."""
