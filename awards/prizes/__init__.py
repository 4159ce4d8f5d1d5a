"""Prize money (tiền thưởng): the dated base-salary table, each award's coefficient (rules.py), the amounts written on
a decision's recipients, and the reward-fund ledger (quỹ thi đua, khen thưởng) of each awarding unit."""
