"""The pages of the explorable recipes (:mod:`figgen.writers.explorable`): each module builds one page's
:class:`~figgen.writers.explorable.ExplorablePage` from the numbers its recipe computes."""
