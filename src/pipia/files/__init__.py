"""Files in and out: the one reader every incoming file goes through, safe YAML, and where the shipped
banks, libraries, samples and templates are."""
