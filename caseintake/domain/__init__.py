"""Pure domain: taxonomy, intake, validation, state machines, deadlines, routing.

Imports nothing from store/, services/, tui/ or cli/, nor sqlalchemy, textual or typer.
"""
