"""Views: what each page, report or command output says, as typed, frozen, JSON-ready models.

A view is built from the record (rows the workspace loaded) and the indicator engine; it holds no
rendering. The reports (HTML, PDF, JSON), the CLI's ``--json`` output and the web pages and API
all render the same views; :func:`peelkit.views.json.to_json` turns any view into JSON data.

Views sit above ``record``, ``indicators``, ``sources`` and ``reportimport`` and below the
``workspace``: nothing here receives a workspace or opens a database session.
"""
