"""The Streamlit app's pages and the pieces they share. Only this package imports Streamlit.

Pages: ``assessments``, ``route``, ``questionnaire``, ``results``, ``report`` (one ``page()`` each, handed to
``st.navigation`` by app.py through ``nav``). Shared: ``session`` (the open assessment, saving, the URL),
``widgets`` (a widget per question type), ``common``, ``shell``; pure helpers: ``text`` (the app's own
strings in zh and en), ``values``, ``tables``, ``summary``, ``location``.
"""
