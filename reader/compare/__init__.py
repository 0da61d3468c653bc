"""The comparison wing: what :mod:`reader.discrepancy` compares between two members of a claim.

``members`` (each member's facts, names and speaker; what the whole run knows), ``figures``,
``dates`` and ``people`` (the pairwise findings of each kind), ``omissions`` (events and
left-out claims). Pure and stdlib only, like the facts wing it reads.
"""
