"""The owner's tools, apart from the answering engine.

:mod:`.report` (what visitors asked, grouped), :mod:`.learn` (proposing and
writing alternate questions into curation files), :mod:`.console` (the admin
console's dismissed groups, audit log and export rows), :mod:`.evaluate`
(scoring a bot on question sets) and :mod:`.commands` (``faqbot report`` and
``faqbot learn``). Nothing is imported here, so that ``faqbot ask`` does not
load them.
"""
