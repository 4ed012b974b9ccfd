from tests.app_agenda.conftest import winter  # noqa: F401  (the real winter schedule, session-scoped)
