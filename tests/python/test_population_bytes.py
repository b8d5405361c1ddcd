"""Population.to_bytes / from_bytes / merge (crm_population_save, _load,
_merge): contributions of partitions merged elsewhere, the finished
population loaded on "another machine", scores equal to one analyze.
Standard library only."""

import unittest

import pyhelpers
from pyhelpers import crmkit


class PopulationBytesTest(unittest.TestCase):
    def test_round_trip(self):
        ids, times, amounts = pyhelpers.small_transactions()
        as_of = max(times) + 86400
        want = crmkit.analyze(ids, times, amounts, as_of=as_of, ties="ntile")
        parts = [[i for i in range(len(ids)) if ids[i] % 3 == k] for k in range(3)]
        parts = [p for p in parts if p]

        def summary(p):
            return crmkit.summarize([ids[i] for i in p], [times[i] for i in p], [amounts[i] for i in p],
                                    as_of=as_of, ties="ntile")

        contributions = []
        for p in parts:
            pop = crmkit.Population(as_of=as_of, ties="ntile").add(summary(p))
            contributions.append(pop.to_bytes())
        merged = crmkit.Population.from_bytes(contributions[0], as_of=as_of, ties="ntile")
        for raw in contributions[1:]:
            merged.merge(crmkit.Population.from_bytes(raw, as_of=as_of, ties="ntile"))
        finished = merged.finish().to_bytes()
        there = crmkit.Population.from_bytes(finished, as_of=as_of, ties="ntile")
        rows = {}
        for p in parts:
            r = there.score(summary(p))
            for k, cid in enumerate(r["customer_id"]):
                rows[cid] = [r[c][k] for c in r.columns]
        self.assertEqual(len(rows), len(want["customer_id"]))
        for k, cid in enumerate(want["customer_id"]):
            got = rows[cid]
            for j, c in enumerate(want.columns):
                a, b = got[j], want[c][k]
                self.assertTrue(a == b or (a != a and b != b), (c, cid, a, b))

    def test_damaged(self):
        ids, times, amounts = pyhelpers.small_transactions()
        pop = crmkit.Population(as_of=max(times) + 86400)
        pop.add(crmkit.summarize(ids, times, amounts, as_of=max(times) + 86400))
        raw = pop.to_bytes()
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.Population.from_bytes(raw[:-1])
        self.assertEqual(cm.exception.status, crmkit.ffi.crm_status.CRM_STATUS_CORRUPT)
        newer = raw[:8] + b"\x02" + raw[9:]
        with self.assertRaises(crmkit.Error) as cm:
            crmkit.Population.from_bytes(newer)
        self.assertEqual(cm.exception.status, crmkit.ffi.crm_status.CRM_STATUS_VERSION)
        with self.assertRaises(TypeError):
            pop.merge(b"bytes")


if __name__ == "__main__":
    unittest.main()
