"""The web app and JSON API: server-rendered pages and ``/api/v1/`` over one long-lived
workspace. Nothing here touches SQL or computes a figure: routes ask the workspace for a view
and render it (HTML through templates, JSON through ``to_json``, CSV through ``csvout``)."""
