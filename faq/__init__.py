"""FAQ: the entries clerks keep (store), the matcher that answers citizens with them,
and the questions the assistant could not answer (unanswered)."""
