// rfm_duckdb.mjs - the RFM workload in DuckDB, as an analyst would write it:
// group by customer, then NTILE(5) scores. Reads CSV, then times either the
// RFM query on a loaded table (mode "memory") or CSV -> RFM -> CSV ("csv").
// Prints one JSON line. Usage: node rfm_duckdb.mjs FILE.csv memory|csv THREADS OUT.csv
import { DuckDBInstance } from '@duckdb/node-api';

const [file, mode, threads, out] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await db.connect();
const rfm = (source) => `
  WITH agg AS (
    SELECT customer_id, max(time) AS last, count(*) AS frequency, sum(amount) AS monetary
    FROM ${source} GROUP BY customer_id)
  SELECT customer_id,
         NTILE(5) OVER (ORDER BY last) AS r_score,
         NTILE(5) OVER (ORDER BY frequency) AS f_score,
         NTILE(5) OVER (ORDER BY monetary) AS m_score,
         frequency, monetary, last
  FROM agg`;
let seconds;
if (mode === 'memory') {
  await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('${file}')`);
  const t0 = performance.now();
  await con.run(`CREATE TABLE rfm AS ${rfm('t')}`);
  seconds = (performance.now() - t0) / 1000;
} else {
  const t0 = performance.now();
  await con.run(`COPY (${rfm(`read_csv('${file}')`)}) TO '${out}' (HEADER)`);
  seconds = (performance.now() - t0) / 1000;
}
const rows = await con.runAndReadAll(mode === 'memory' ? 'SELECT count(*) FROM rfm' : 'SELECT 0');
console.log(JSON.stringify({ tool: 'duckdb', mode, threads: Number(threads), seconds,
                             rows: Number(rows.getRows()[0][0]) }));
