#!/usr/bin/env python3
"""crmkit for analysts: the CDNOW sample from raw file to charts.

    python3 examples/python/cdnow_quickstart.py OUTPUT_DIR [CDNOW_master.txt | CDNOW_sample.txt]

Reads the CDNOW data as published (tests/data/cdnow/CDNOW_master.txt by default:
the full cohort, with a header, customer id as zero-padded text, date as
YYYYMMDD, number of CDs, dollar value; or the 1/10 sample without a header and
with a sample id after the master id),
prints a summary, the fitted BG/NBD model, the holdout check, CLV, the RFM
segments and the most valuable customers at risk, and writes the charts as
PNG files into OUTPUT_DIR. Needs pandas and matplotlib; from a source
checkout run it with PYTHONPATH=python (and CRMKIT_LIBRARY=<build>/libcrmkit.so
if the library is not found on its own).
"""

import datetime
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import crmkit  # noqa: E402
import crmkit.plot  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_DATA = os.path.join(HERE, "..", "..", "tests", "data", "cdnow", "CDNOW_master.txt")

AS_OF = "1998-06-30"          # the end of the CDNOW observation period
CALIBRATION_END = "1997-09-30"  # the first 39 weeks, as in Fader, Hardie & Lee (2005)


def save(ax, out_dir, name):
    path = os.path.join(out_dir, name)
    ax.figure.tight_layout()
    ax.figure.savefig(path, dpi=100)
    plt.close(ax.figure)
    print("  wrote", path)


def main(argv):
    if len(argv) not in (2, 3):
        sys.stderr.write(__doc__)
        return 2
    out_dir = argv[1]
    data = argv[2] if len(argv) == 3 else DEFAULT_DATA
    os.makedirs(out_dir, exist_ok=True)

    # 1. The data as it comes: ids stay text ("00004"), dates are YYYYMMDD integers.
    with open(data) as f:
        has_header = "customer_id" in f.readline()
    if has_header:  # CDNOW_master.txt: customer_id date number_of_cds dollar_value
        tx = pd.read_csv(data, sep=r"\s+", dtype={"customer_id": str})
        tx = tx.rename(columns={"customer_id": "CustID", "date": "Date", "dollar_value": "Total"})
    else:  # CDNOW_sample.txt: master id, sample id, date, CDs, dollars
        tx = pd.read_csv(data, sep=r"\s+", header=None, names=["CustID", "Master", "Date", "Qty", "Total"],
                         dtype={"CustID": str, "Master": str})
    columns = dict(customer_id="CustID", time="Date", amount="Total", time_format="%Y%m%d")

    # 2. One analysis: RFM, segments, lifecycle, churn flags, BG/NBD + Gamma-Gamma CLV.
    result = crmkit.analyze(tx, as_of=AS_OF, model="bgnbd", spend_model=True, **columns)
    print(result)
    print("records:", {k: v for k, v in result.records().items() if v})
    df = result.to_pandas(index=True)
    print("customers %d, revenue %.2f, mean purchase days %.2f"
          % (len(df), df["monetary"].sum(), df["purchase_days"].mean()))

    # 3. The fitted purchase model (time unit: weeks).
    bg = result.model("bgnbd")
    summary = bg.summary()
    print("\nBG/NBD (%s, log-likelihood %.1f, AIC %.1f, %d iterations)"
          % (summary.attrs["status"], summary.attrs["loglik"], summary.attrs["aic"], summary.attrs["iterations"]))
    print(summary.round(4).to_string())
    weeks = df["T"].max()
    save(crmkit.plot.p_alive_matrix(bg, T=weeks), out_dir, "p_alive_matrix.png")
    save(crmkit.plot.frequency_recency_matrix(bg, T=weeks, t=52), out_dir, "frequency_recency_matrix.png")

    # 4. Holdout check: fit on the calibration period, compare with what happened next.
    split = crmkit.calibration_split(tx, calibration_end=CALIBRATION_END, holdout_end=AS_OF, **columns)
    cal_model = crmkit.fit("bgnbd", data=split)
    holdout_weeks = (datetime.date(1998, 6, 30) - datetime.date(1997, 9, 30)).days / 7.0
    expected = cal_model.expected_purchases(holdout_weeks, data=split)
    print("\nholdout (%.0f weeks): %d purchase days happened, %.0f expected"
          % (holdout_weeks, sum(split["holdout_purchases"]), float(sum(expected))))
    save(crmkit.plot.calibration_holdout(split, cal_model, holdout_weeks), out_dir, "calibration_holdout.png")

    # One customer's P(alive) history (purchase times in weeks since their first).
    who = df["purchase_days"].idxmax()
    days = sorted(set(tx.loc[tx["CustID"] == who, "Date"]))
    first = datetime.datetime.strptime(str(days[0]), "%Y%m%d")
    times = [(datetime.datetime.strptime(str(d), "%Y%m%d") - first).days / 7.0 for d in days]
    ax = crmkit.plot.alive_history(bg, times, step=0.5, points=int(weeks * 2))
    ax.set_title("P(alive) of customer %s" % who)
    save(ax, out_dir, "alive_history.png")

    # 5. CLV (the analysis's clv column: margin, horizon and discount rate from the options).
    print("\nCLV: total %.2f, top 5 customers:" % df["clv"].sum())
    print(df["clv"].nlargest(5).round(2).to_string())

    # 6. RFM segments.
    print("\nsegments:")
    print(df.groupby("segment", observed=False)["monetary"].agg(["count", "sum"]).round(2).to_string())
    save(crmkit.plot.segments(result), out_dir, "segments.png")
    save(crmkit.plot.segments(result, by="revenue"), out_dir, "segments_revenue.png")
    save(crmkit.plot.rfm_heatmap(result), out_dir, "rfm_heatmap.png")
    save(crmkit.plot.tiers(result), out_dir, "tiers.png")
    save(crmkit.plot.lifecycle(result), out_dir, "lifecycle.png")

    # 7. Valuable customers at risk: the RFM segments "At Risk" and "Can't Lose Them", by what they brought.
    at_risk = df[df["segment"].isin(["At Risk", "Can't Lose Them"])].sort_values("monetary", ascending=False)
    print("\n%d customers at risk; the 10 most valuable:" % len(at_risk))
    print(at_risk[["monetary", "recency_days", "p_alive", "risk_level", "segment"]].head(10).round(3).to_string())
    at_risk.to_csv(os.path.join(out_dir, "at_risk.csv"))
    print("  wrote", os.path.join(out_dir, "at_risk.csv"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
