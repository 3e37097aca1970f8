"""Alembic environment and versions; shipped inside the wheel so an installed caseintake can
upgrade its own database (``caseintake db upgrade``). Alembic reads these files by path
(caseintake.store.migrate.SCRIPT_LOCATION); nothing imports them as modules."""
