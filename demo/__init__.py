"""The bundled offline demo web: four small news sites served on 127.0.0.11-14.

Used by ``make crawl`` and the end-to-end tests. Story texts live in
``stories_zh``/``stories_en``, ``catalog`` says what is published where,
``site_*`` render each site's HTML, ``truth`` exposes the ground truth and
``server.DemoWeb`` serves it all.
"""
