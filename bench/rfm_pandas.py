"""rfm_pandas.py - the RFM workload in pandas, as an analyst would write it:
group by customer, then quintile scores by rank. Loads the CSV first, then
times the RFM computation only. Prints one JSON line.
Usage: python3 rfm_pandas.py FILE.csv"""
import json
import sys
import time

import pandas as pd

df = pd.read_csv(sys.argv[1])
t0 = time.perf_counter()
g = df.groupby("customer_id").agg(last=("time", "max"), frequency=("time", "count"), monetary=("amount", "sum"))
for col, name in (("last", "r_score"), ("frequency", "f_score"), ("monetary", "m_score")):
    g[name] = pd.qcut(g[col].rank(method="first"), 5, labels=False) + 1
seconds = time.perf_counter() - t0
print(json.dumps({"tool": "pandas", "mode": "memory", "seconds": seconds, "rows": len(g)}))
