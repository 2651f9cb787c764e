"""Answers to a bank: the answers file format, which questions are shown, table answers to and from
Excel and CSV, and the skeleton a consultant fills in."""
