from kopdes.formation.tests.conftest import programme  # noqa: F401  (Paser's programme: 60 by 30 June 2025)
