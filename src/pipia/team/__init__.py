"""The team's work around an assessment: the action plan, review and approval, tracking, sign-in."""
