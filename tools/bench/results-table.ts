/** One line of the load table: a path at a connection count, beside its floor from the same run. */
export interface LoadRow {
  path: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  floorName: string;
  floorRps: number | null;
  note?: string;
}

/** One timed measurement that is not a load level (start-up, catch-up, lag, rebuild). */
export interface TimingRow {
  measurement: string;
  figure: string;
  detail: string;
}

const n = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : String(Math.round(x * 10) / 10));

/** Collects figures as they are measured and prints them as Markdown tables. */
export class ResultsTable {
  readonly loads: LoadRow[] = [];
  readonly timings: TimingRow[] = [];

  load(row: LoadRow): void {
    this.loads.push(row);
    const ratio = row.floorRps ? ` (${(row.rps / row.floorRps).toFixed(2)}× floor)` : '';
    console.error(
      `  ${row.path} @${row.connections}: ${n(row.rps)}/s p50 ${row.p50} p99 ${row.p99} ms${ratio}`,
    );
  }

  timing(row: TimingRow): void {
    this.timings.push(row);
    console.error(`  ${row.measurement}: ${row.figure} (${row.detail})`);
  }

  print(): void {
    console.log(
      '| path | connections | req/s | p50 ms | p99 ms | floor (same run) | floor req/s | ratio | notes |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const r of this.loads) {
      const ratio = r.floorRps ? (r.rps / r.floorRps).toFixed(2) : '—';
      const floor = r.floorRps === null ? '—' : n(r.floorRps);
      console.log(
        `| ${r.path} | ${r.connections} | ${n(r.rps)} | ${r.p50} | ${r.p99} | ${r.floorName} | ${floor} | ${ratio} | ${r.note ?? ''} |`,
      );
    }
    console.log('\n| measurement | figure | detail |');
    console.log('|---|---|---|');
    for (const t of this.timings) console.log(`| ${t.measurement} | ${t.figure} | ${t.detail} |`);
  }
}
