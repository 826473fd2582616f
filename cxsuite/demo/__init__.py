"""``cxsuite demo``: a complete audit on the embedded default, through the public API.

It starts the vendor sandbox and the API in-process on free loopback ports, signs up a demo
consultancy, connects every installed vendor connector through the real OAuth flow (the
sandbox's consent approves itself), syncs them as jobs, answers the questionnaire from a
bundled sample, scores, renders the report, and prints a summary.
"""
