"""Answers to a bank: the answers file format, table answers to and from Excel and CSV, what each item of a
repeated section is called, and the skeleton a consultant fills in."""
