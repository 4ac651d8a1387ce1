"""The reporting app's admin: views, ViewSets, menu items and the dashboard panel.

Nothing here registers itself; ``reporting.wagtail_hooks`` registers every hook.

- ``menu``: the "Training reports" menu and the hook its entries register for;
- ``reports``: the three training reports and the dashboard's completion chart;
- ``charts``: the server-rendered SVG chart the panel draws;
- ``assignments``: course assignments (listing, "Assign a course", one assignment);
- ``tokens``: ministries' API tokens (list, make, revoke).
"""
