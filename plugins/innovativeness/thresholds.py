"""Every threshold used to read self-assessment results, in one place.

Except for the privacy floor, these are rules of thumb chosen by the project,
not values taken from the literature; each comment says what it stands for, so
that a reader can judge it and a later version can change it in one place.
Scores are on the 0-100 scale of ``scoring`` (1 = 0, 2 = 25, 3 = 50, 4 = 75,
5 = 100 points).
"""

from __future__ import annotations

#: Privacy floor: no aggregate is shown for fewer respondents than this, so no
#: individual's answers can be read from it (a product rule, not a statistic).
MIN_GROUP_SIZE = 3

#: Below this many respondents results are marked "indicative": medians and
#: quartiles of so few answers move a lot with one more respondent.
INDICATIVE_BELOW = 8

#: A driver is scored for a respondent only when at least this share of its
#: statements got a 1-5 answer ("don't know" and blanks do not count).
MIN_ANSWERED_SHARE = 0.5

#: A driver whose median is below 60 is "weak" enough to draft recommendations:
#: a little above the neutral midpoint (50), so that lukewarm agreement counts.
WEAK_BELOW = 60.0

#: Priority of a drafted recommendation from its need, (100 - median) x weight:
#: priority 1 from a need of 60, 2 from 45, 3 from 30, 4 from 15, else 5 —
#: even steps of 15 points, about half a step of the answer scale.
PRIORITY_NEED_STEPS = (60.0, 45.0, 30.0, 15.0)

#: A statement whose median is below 50 (under "neither agree nor disagree",
#: after reverse scoring) triggers the recommendations that name it.
WEAK_STATEMENT_BELOW = 50.0

#: An interquartile range of 25 points or more, one step of the 1-5 scale,
#: flags a driver on which respondents disagree.
WIDE_SPREAD_IQR = 25.0

#: A gap of 20 points or more between the means of two actor types flags a
#: driver on which kinds of members see the cluster differently.
ACTOR_GAP = 20.0

#: A response rate below 30 % of those invited gets a warning: the answers
#: may not represent the membership.
LOW_RESPONSE_RATE_PERCENT = 30

#: The benchmark shows quartile bands only once this many clusters (this one
#: included) share a closed round of the same bank version.
MIN_BENCHMARK_CLUSTERS = 10

#: Internal consistency is computed for a driver only with at least this many
#: respondents who answered all of its statements (1-5).
MIN_CONSISTENCY_RESPONDENTS = 10

#: Confidence level of the bootstrap interval shown beside each median.
INTERVAL_LEVEL = 0.90

#: Cronbach's alpha under 0.6 is flagged as low: a common rule of thumb for
#: short scales (3-5 statements), below the 0.7 often asked of longer ones.
LOW_CONSISTENCY = 0.6
