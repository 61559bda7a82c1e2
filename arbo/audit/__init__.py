"""The NEN 7513 access log. Everything may call :func:`arbo.audit.log.record`."""
