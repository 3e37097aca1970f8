"""Alembic environment and versions; shipped inside the wheel so an installed caseintake can
upgrade its own database (``caseintake db upgrade``)."""
