"""``python -m bench.pg.scale``: the scale bars on a PostgreSQL server the bench starts."""
