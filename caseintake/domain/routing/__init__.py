"""Routing by the law: rules and implications as data, their conditions, the engine and its
decisions, citations, the escalation rules and the checks of both rules files."""
