import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@dap/testing';

describe('PgSqlClient: a pipelined transaction (work starts before BEGIN has answered)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await t.db.exec(`CREATE TABLE written (n int NOT NULL)`);
  });
  afterAll(async () => t.drop());

  const written = async (n: number) =>
    Number((await t.db.query<{ c: number }>(`SELECT count(*) AS c FROM written WHERE n = $1`, [n]))[0].c);

  it('commits work and hands it the rows of the begin statement', async () => {
    const answer = await t.db.transaction(
      async (tx, begun) => {
        await tx.query(`INSERT INTO written VALUES ($1)`, [1]);
        return Number((await begun)[0].answer);
      },
      { pipelined: true, begin: `SELECT 41 + 1 AS answer` },
    );
    expect(answer).toBe(42);
    expect(await written(1)).toBe(1);
  });

  it("fails with BEGIN's error, not with the aborted transaction's, and keeps nothing of work", async () => {
    const failing = t.db.transaction(
      async (tx) => {
        await tx.query(`INSERT INTO written VALUES ($1)`, [2]);
      },
      { pipelined: true, begin: `SELECT 1 / 0` },
    );
    await expect(failing).rejects.toThrow('division by zero');
    expect(await written(2)).toBe(0);
  });

  it('rolls back when work throws after reading the begun rows', async () => {
    const refused = t.db.transaction(
      async (tx, begun) => {
        await tx.query(`INSERT INTO written VALUES ($1)`, [3]);
        if ((await begun)[0].n !== 0) throw new Error('not what work assumed');
      },
      { pipelined: true, begin: `SELECT 1 AS n` },
    );
    await expect(refused).rejects.toThrow('not what work assumed');
    expect(await written(3)).toBe(0);
  });

  it('sends BEGIN on its own when work waits for its rows before any statement', async () => {
    const done = await t.db.transaction(
      async (tx, begun) => {
        await begun;
        await tx.query(`INSERT INTO written VALUES ($1)`, [4]);
        return 'done';
      },
      { pipelined: true, begin: `SELECT 1` },
    );
    expect(done).toBe('done');
    expect(await written(4)).toBe(1);
  });
});
