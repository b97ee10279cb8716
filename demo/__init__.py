"""The demo town of Valbourg, for `manage.py seed_demo`: its data and pictures (data.py,
content.py, images.py, plans.py), the town itself (seed.py), its order book (orders.py) and
twelve weeks of history (history.py).

It sits at the top of the portal: it may import every app, and no app imports it.
"""
