"""Figures the deployment tests measured, printed in the test report's summary (no -s needed)."""

FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("two instances: figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
