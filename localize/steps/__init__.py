"""Steps that run one command over a content tree and return a report; they print nothing."""
